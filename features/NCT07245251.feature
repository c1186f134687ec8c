Feature: Prescreening for NCT07245251 (STR-P004 in relapsed/refractory CD19+ B-ALL)
  Each scenario sets up only the data a criterion reads, and checks its verdict and why.

  Scenario: Bilirubin within 2 × ULN is eligible even when Gilbert's syndrome status is unknown
    Given a 45-year-old woman screened on 2026-11-20
    And total bilirubin 1.44 mg/dL with ULN 1.2 mg/dL
    And her Gilbert's syndrome status is unknown
    When she is screened for NCT07245251
    Then criterion INC-09c is eligible
    And the explanation of INC-09c mentions "total bilirubin 1.44 mg/dL = 1.2 × ULN"

  Scenario: Gilbert's syndrome exception met
    Given a 45-year-old woman screened on 2026-11-20
    And total bilirubin 3.0 mg/dL with ULN 1.2 mg/dL
    And direct bilirubin 0.3 mg/dL with ULN 0.3 mg/dL
    And she has Gilbert's syndrome
    When she is screened for NCT07245251
    Then criterion INC-09c is eligible
    And the explanation of INC-09c mentions "has Gilbert's syndrome: yes"

  Scenario: Gilbert's syndrome exception fails on direct bilirubin
    Given a 45-year-old woman screened on 2026-11-20
    And total bilirubin 3.0 mg/dL with ULN 1.2 mg/dL
    And direct bilirubin 0.6 mg/dL with ULN 0.3 mg/dL
    And she has Gilbert's syndrome
    When she is screened for NCT07245251
    Then criterion INC-09c is ineligible
    And the explanation of INC-09c mentions "direct bilirubin ≤ 1.5 × ULN: no (direct bilirubin 0.6 mg/dL = 2 × ULN"

  Scenario: Gilbert's syndrome unknown with bilirubin above 2 × ULN needs review
    Given a 45-year-old woman screened on 2026-11-20
    And total bilirubin 3.0 mg/dL with ULN 1.2 mg/dL
    And direct bilirubin 0.3 mg/dL with ULN 0.3 mg/dL
    And her Gilbert's syndrome status is unknown
    When she is screened for NCT07245251
    Then criterion INC-09c is needs-review because Gilbert's syndrome is missing
    And the explanation of INC-09c mentions "total bilirubin ≤ 2 × ULN: no"

  Scenario: Bilirubin above 2 × ULN without Gilbert's syndrome is ineligible
    Given a 45-year-old woman screened on 2026-11-20
    And total bilirubin 3.0 mg/dL with ULN 1.2 mg/dL
    And she does not have Gilbert's syndrome
    When she is screened for NCT07245251
    Then criterion INC-09c is ineligible

  Scenario: Bilirubin in µmol/L is compared with a ULN given in mg/dL
    Given a 45-year-old woman screened on 2026-11-20
    And total bilirubin 34 µmol/L with ULN 1.2 mg/dL
    When she is screened for NCT07245251
    Then criterion INC-09c is eligible
    And the explanation of INC-09c mentions "total bilirubin 34 µmol/L = 1.657 × ULN (ULN 1.2 mg/dL)"

  Scenario: Bilirubin in µmol/L above 2 × ULN of a mg/dL range
    Given a 45-year-old woman screened on 2026-11-20
    And total bilirubin 42.8 µmol/L with ULN 1.2 mg/dL
    And she does not have Gilbert's syndrome
    When she is screened for NCT07245251
    Then criterion INC-09c is ineligible
    And the explanation of INC-09c mentions "2.085 × ULN"

  Scenario: Bilirubin without a date cannot show it is recent
    Given a 45-year-old woman screened on 2026-11-20
    And total bilirubin 1.0 mg/dL with ULN 1.2 mg/dL 2 months before screening
    When she is screened for NCT07245251
    Then criterion INC-09c is needs-review because total bilirubin is stale

  Scenario: Creatinine above 2 × ULN but creatinine clearance ≥ 60 mL/min
    Given a 30-year-old man screened on 2026-11-20
    And creatinine 2.3 mg/dL with ULN 1.0 mg/dL
    And body weight 110 kg
    When he is screened for NCT07245251
    Then criterion INC-09d is eligible
    And the explanation of INC-09d mentions "serum creatinine ≤ 2.0 × ULN: no"
    And the explanation of INC-09d mentions "creatinine clearance (Cockcroft-Gault) 73.07 mL/min"

  Scenario: Creatinine above 2 × ULN and creatinine clearance below 60 mL/min
    Given a 30-year-old man screened on 2026-11-20
    And creatinine 2.3 mg/dL with ULN 1.0 mg/dL
    And body weight 70 kg
    When he is screened for NCT07245251
    Then criterion INC-09d is ineligible

  Scenario: Creatinine above 2 × ULN and no body weight for the clearance
    Given a 30-year-old man screened on 2026-11-20
    And creatinine 2.3 mg/dL with ULN 1.0 mg/dL
    When he is screened for NCT07245251
    Then criterion INC-09d is needs-review because body weight is missing

  Scenario Outline: LVEF ≤ 45% excludes
    Given a 50-year-old man screened on 2026-11-20
    And LVEF <lvef> %
    When he is screened for NCT07245251
    Then criterion EXC-10a is <verdict>

    Examples:
      | lvef | verdict    |
      | 45   | ineligible |
      | 46   | eligible   |

  Scenario: A single blood pressure of 140 mmHg does not decide uncontrolled hypertension
    Given a 50-year-old man screened on 2026-11-20
    And systolic blood pressure 140 mmHg
    And diastolic blood pressure 85 mmHg
    And he does not have pulmonary hypertension despite standard treatment
    When he is screened for NCT07245251
    Then criterion EXC-10e is needs-review because persistently ≥140/90 mmHg, treated or not is a judgement
    And the explanation of EXC-10e mentions "systolic blood pressure 140 mmHg"

  Scenario Outline: The investigator decides whether a high blood pressure is uncontrolled hypertension
    Given a 50-year-old man screened on 2026-11-20
    And systolic blood pressure 152 mmHg
    And diastolic blood pressure 94 mmHg
    And his condition history is complete
    And the investigator answers "<answer>" for EXC-10e
    When he is screened for NCT07245251
    Then criterion EXC-10e is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | ineligible |
      | no     | eligible   |

  Scenario Outline: An untreated blood pressure of 165/100 mmHg is asked about as it is, treated or not
    Given a 50-year-old man screened on 2026-11-20
    And systolic blood pressure 165 mmHg
    And diastolic blood pressure 100 mmHg
    And his condition history is complete
    And his therapy history is complete
    And the investigator answers "<answer>" for EXC-10e
    When he is screened for NCT07245251
    Then criterion EXC-10e is <verdict>
    And the explanation of EXC-10e mentions "Is the blood pressure persistently ≥140/90 mmHg, treated or not?: <answer>"

    Examples:
      | answer | verdict    |
      | yes    | ineligible |
      | no     | eligible   |

  Scenario Outline: No blood pressure on record: the investigator's answer alone does not settle hypertension
    Given a 50-year-old man screened on 2026-11-20
    And his condition history is complete
    And the investigator answers "<answer>" for EXC-10e
    When he is screened for NCT07245251
    Then criterion EXC-10e is needs-review because systolic blood pressure is missing
    And criterion EXC-10e is needs-review because diastolic blood pressure is missing

    Examples:
      | answer |
      | yes    |
      | no     |

  Scenario: No blood pressure on record and no answer
    Given a 50-year-old man screened on 2026-11-20
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-10e is needs-review because systolic blood pressure is missing

  Scenario: A blood pressure older than 28 days does not let the investigator's "no" settle hypertension
    Given a 50-year-old man screened on 2026-11-20
    And systolic blood pressure 165 mmHg 40 days before screening
    And diastolic blood pressure 100 mmHg 40 days before screening
    And his condition history is complete
    And the investigator answers "no" for EXC-10e
    When he is screened for NCT07245251
    Then criterion EXC-10e is needs-review because systolic blood pressure is stale

  Scenario: Recorded uncontrolled hypertension excludes whatever the latest reading
    Given a 50-year-old man screened on 2026-11-20
    And systolic blood pressure 128 mmHg
    And diastolic blood pressure 82 mmHg
    And he has uncontrolled hypertension
    When he is screened for NCT07245251
    Then criterion EXC-10e is ineligible
    And the explanation of EXC-10e mentions "has uncontrolled hypertension: yes"

  Scenario: Normal blood pressure and no hypertension in a complete condition history
    Given a 50-year-old man screened on 2026-11-20
    And systolic blood pressure 118 mmHg
    And diastolic blood pressure 74 mmHg
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-10e is eligible

  Scenario: Normal blood pressure with uncontrolled hypertension not ruled out
    Given a 50-year-old man screened on 2026-11-20
    And systolic blood pressure 118 mmHg
    And diastolic blood pressure 74 mmHg
    And he does not have pulmonary hypertension despite standard treatment
    When he is screened for NCT07245251
    Then criterion EXC-10e is needs-review because uncontrolled hypertension is missing

  Scenario: Pulmonary hypertension despite standard treatment excludes
    Given a 50-year-old man screened on 2026-11-20
    And he has pulmonary hypertension despite standard treatment
    When he is screened for NCT07245251
    Then criterion EXC-10e is ineligible

  Scenario: QTcB from the QT and heart rate of one ECG, not from a later pulse
    Given a 40-year-old man screened on 2026-11-20
    And an ECG 3 days before screening shows QT 460 ms and heart rate 100 bpm
    And pulse 55 bpm 1 day before screening
    When he is screened for NCT07245251
    Then criterion EXC-10d is ineligible
    And the explanation of EXC-10d mentions "QTcB (Bazett) 593.9 ms from ECG 1"

  Scenario: QTcB within the limit on one ECG
    Given a 40-year-old man screened on 2026-11-20
    And an ECG 3 days before screening shows QT 392 ms and heart rate 72 bpm
    When he is screened for NCT07245251
    Then criterion EXC-10d is eligible

  Scenario: A QT without a heart rate from its own ECG cannot be corrected by a pulse taken another day
    Given a 40-year-old man screened on 2026-11-20
    And QT 460 ms 3 days before screening
    And pulse 55 bpm 1 day before screening
    When he is screened for NCT07245251
    Then criterion EXC-10d is needs-review because heart rate is ambiguous
    And the explanation of EXC-10d mentions "no heart rate from the same ECG"

  Scenario: LVEF not measured
    Given a 50-year-old man screened on 2026-11-20
    When he is screened for NCT07245251
    Then criterion EXC-10a is needs-review because LVEF is missing

  Scenario: CAR-T 5 months before screening excludes
    Given a 40-year-old man screened on 2026-11-20
    And he received tisagenlecleucel 5 months before screening
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-03 is ineligible
    And the explanation of EXC-03 mentions "tisagenlecleucel"
    And criterion EXC-03 changes on 2026-12-20

  Scenario: CAR-T 7 months before screening does not exclude
    Given a 40-year-old man screened on 2026-11-20
    And he received tisagenlecleucel 7 months before screening
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-03 is eligible

  Scenario: No therapy history declared: CAR-T cannot be ruled out
    Given a 40-year-old man screened on 2026-11-20
    And his therapy history is not recorded
    When he is screened for NCT07245251
    Then criterion EXC-03 is needs-review because genetically modified cell therapy is missing

  Scenario: The protocol's own lymphodepleting chemotherapy does not exclude
    Given a 40-year-old man screened on 2026-11-20
    And his first dose is planned for 2026-12-08
    And he received fludarabine as lymphodepleting chemotherapy 3 days before the first dose
    And he received cyclophosphamide as lymphodepleting chemotherapy 3 days before the first dose
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-04a is eligible

  Scenario: Lymphodepletion recorded by name does not exclude
    Given a 40-year-old man screened on 2026-11-20
    And his first dose is planned for 2026-12-08
    And he received lymphodepleting chemotherapy 3 days before the first dose
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-04a is eligible

  Scenario: Fludarabine not given as lymphodepletion within 2 weeks before dosing excludes
    Given a 40-year-old man screened on 2026-11-20
    And his first dose is planned for 2026-12-08
    And he received fludarabine 10 days before the first dose
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-04a is ineligible
    And the explanation of EXC-04a mentions "fludarabine"

  Scenario: TKI stopped 2 days before infusion excludes until the washout ends
    Given a 40-year-old man screened on 2026-11-20
    And his first dose is planned for 2026-12-01
    And he received imatinib 400 mg/day orally until 2 days before the first dose
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-04b is ineligible
    And criterion EXC-04b changes on 2026-12-02

  Scenario: TKI stopped 4 days before infusion
    Given a 40-year-old man screened on 2026-11-20
    And his first dose is planned for 2026-12-01
    And he received imatinib 400 mg/day orally until 4 days before the first dose
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-04b is eligible

  Scenario: TKI still being taken and no infusion date yet
    Given a 40-year-old man screened on 2026-11-20
    And he received imatinib 400 mg/day orally until 0 days before screening
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-04b is needs-review because first dose date is missing
    And criterion EXC-04b changes on 2026-11-23

  Scenario: Prednisone 7.5 mg/day within 72 hours is a physiological dose
    Given a 40-year-old woman screened on 2026-11-20
    And her first dose is planned for 2026-12-01
    And she received prednisone 7.5 mg/day orally until 1 day before the first dose
    And her therapy history is complete
    When she is screened for NCT07245251
    Then criterion EXC-05 is eligible

  Scenario: Dexamethasone 4 mg/day within 72 hours excludes
    Given a 40-year-old woman screened on 2026-11-20
    And her first dose is planned for 2026-12-01
    And she received dexamethasone 4 mg/day orally until 1 day before the first dose
    And her therapy history is complete
    When she is screened for NCT07245251
    Then criterion EXC-05 is ineligible
    And the explanation of EXC-05 mentions "dexamethasone 4 mg/day"

  Scenario: Inhaled corticosteroid is not systemic
    Given a 40-year-old woman screened on 2026-11-20
    And her first dose is planned for 2026-12-01
    And she received budesonide 0.8 mg/day inhaled until 1 day before the first dose
    And her therapy history is complete
    When she is screened for NCT07245251
    Then criterion EXC-05 is needs-review because systemic corticosteroid is ambiguous

  Scenario Outline: Platelets reported in K/µL
    Given a 40-year-old woman screened on 2026-11-20
    And platelets <count> K/µL
    When she is screened for NCT07245251
    Then criterion INC-07b is <verdict>
    And the explanation of INC-07b mentions "platelets <count> K/µL (= <count> 10^9/L)"

    Examples:
      | count | verdict    |
      | 29    | ineligible |
      | 30    | eligible   |

  Scenario Outline: Age 18 to 65 on the screening date
    Given a <age>-year-old woman screened on 2026-11-20
    When she is screened for NCT07245251
    Then criterion INC-02 is <verdict>

    Examples:
      | age | verdict    |
      | 17  | ineligible |
      | 18  | eligible   |
      | 65  | eligible   |
      | 66  | ineligible |

  Scenario: Age 18 reached on the screening date itself
    Given a patient screened on 2026-11-20
    And she was born on 2008-11-20
    When she is screened for NCT07245251
    Then criterion INC-02 is eligible

  Scenario: Informed consent needs a person
    Given a 40-year-old woman screened on 2026-11-20
    When she is screened for NCT07245251
    Then criterion INC-01 is needs-review because informed consent is a judgement

  Scenario: Informed consent attested by the investigator
    Given a 40-year-old woman screened on 2026-11-20
    And the investigator answers "yes" for INC-01
    When she is screened for NCT07245251
    Then criterion INC-01 is eligible

  Scenario: Hepatitis B surface antigen positive excludes
    Given a 40-year-old woman screened on 2026-11-20
    And her HBsAg is positive
    When she is screened for NCT07245251
    Then criterion EXC-08a is ineligible

  Scenario: A complete eligible patient
    Given the patient in "examples/patient.yaml"
    When she is screened for NCT07245251 on 2026-11-23
    Then the overall verdict is eligible

  Scenario: The same patient with LVEF 40% is ineligible overall
    Given the patient in "examples/patient.yaml"
    And LVEF 40 %
    When she is screened for NCT07245251 on 2026-11-23
    Then criterion EXC-10a is ineligible
    And the overall verdict is ineligible

  Scenario: A recorded pregnancy is not outweighed by a negative pregnancy test
    Given the patient in "examples/patient.yaml"
    And she has pregnancy
    When she is screened for NCT07245251 on 2026-11-23
    Then criterion INC-10a is ineligible
    And the explanation of INC-10a mentions "pregnancy test within 3 days before first dose is negative: yes"
