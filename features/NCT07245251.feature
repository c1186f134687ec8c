Feature: Prescreening for NCT07245251 (STR-P004 in relapsed/refractory CD19+ B-ALL)
  Each scenario sets up only the data a criterion reads, and checks its verdict and why.

  Scenario: Bilirubin within 2 × ULN is eligible even when Gilbert's syndrome status is unknown
    Given a 45-year-old woman screened on 2026-11-20
    And total bilirubin 1.44 mg/dL with ULN 1.2 mg/dL
    And her Gilbert's syndrome status is unknown
    When she is screened for NCT07245251
    Then criterion INC-09c is eligible
    And the explanation of INC-09c mentions "total bilirubin ≤ 2 × ULN: yes (1.44 mg/dL = 1.2 × ULN"

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
    And the explanation of INC-09c mentions "direct bilirubin ≤ 1.5 × ULN: no (0.6 mg/dL = 2 × ULN"

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
    And the explanation of INC-09c mentions "total bilirubin ≤ 2 × ULN: yes (34 µmol/L = 1.657 × ULN of 1.2 mg/dL"

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
    And the explanation of INC-09d mentions "creatinine clearance (Cockcroft-Gault) ≥ 60 mL/min: yes (73.07 mL/min"

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
    And he does not have pulmonary hypertension
    When he is screened for NCT07245251
    Then criterion EXC-10e is needs-review because persistently ≥140/90 mmHg, treated or not is a judgement
    And the explanation of EXC-10e mentions "systolic blood pressure ≥ 140 mmHg: yes (140 mmHg"

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
    And the explanation of EXC-10e mentions "Is the blood pressure persistently ≥140/90 mmHg, treated or not? <answer> (answered"

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
    And he does not have pulmonary hypertension
    When he is screened for NCT07245251
    Then criterion EXC-10e is needs-review because uncontrolled hypertension is missing

  Scenario: Pulmonary hypertension present now persists despite treatment and excludes
    Given a 50-year-old man screened on 2026-11-20
    And he has pulmonary hypertension
    When he is screened for NCT07245251
    Then criterion EXC-10e is ineligible

  Scenario: QTcB from the QT and heart rate of one ECG, not from a later pulse
    Given a 40-year-old man screened on 2026-11-20
    And an ECG 3 days before screening shows QT 460 ms and heart rate 100 bpm
    And pulse 55 bpm 1 day before screening
    When he is screened for NCT07245251
    Then criterion EXC-10d is ineligible
    And the explanation of EXC-10d mentions "QTcB (Bazett) ≥ 480 ms: yes (593.9 ms from ECG 1"

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
    And the explanation of INC-07b mentions "(<count> K/µL = <count> × 10⁹/L"

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

  Scenario: Philadelphia chromosome-positive ALL is a B-cell ALL
    Given a 40-year-old man screened on 2026-11-20
    And he has Philadelphia chromosome-positive ALL
    And he has relapse after ≥2 CR or CRi
    When he is screened for NCT07245251
    Then criterion INC-03 is eligible
    And the explanation of INC-03 mentions "has B-cell acute lymphoblastic leukemia: yes"

  Scenario: Acute lymphoblastic leukemia recorded without its lineage
    Given a 40-year-old man screened on 2026-11-20
    And he has acute lymphoblastic leukemia
    And he has relapse after ≥2 CR or CRi
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion INC-03 is needs-review because B-cell acute lymphoblastic leukemia is ambiguous

  Scenario: B-ALL recorded without its Philadelphia chromosome status
    Given a 40-year-old man screened on 2026-11-20
    And he has B-cell acute lymphoblastic leukemia
    And his condition history is complete
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion INC-05 is needs-review because Philadelphia chromosome-positive ALL is ambiguous

  Scenario: Ph+ ALL that never had a second-generation TKI, without T315I or TKI intolerance
    Given a 40-year-old man screened on 2026-11-20
    And he has Philadelphia chromosome-positive ALL
    And he received imatinib 400 mg/day orally until 2 months before screening
    And his condition history is complete
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion INC-05 is ineligible

  Scenario Outline: Ph+ ALL after a second-generation TKI: the investigator decides whether two TKIs failed
    Given a 40-year-old man screened on 2026-11-20
    And he has Philadelphia chromosome-positive ALL
    And he received dasatinib 140 mg/day orally until 2 months before screening
    And his condition history is complete
    And his therapy history is complete
    And the investigator answers "<answer>" for INC-05
    When he is screened for NCT07245251
    Then criterion INC-05 is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | eligible   |
      | no     | ineligible |

  Scenario: A TCR-T product within 6 months is genetically modified cell therapy
    Given a 40-year-old man screened on 2026-11-20
    And he received afamitresgene autoleucel 3 months before screening
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-03 is ineligible
    And the explanation of EXC-03 mentions "afamitresgene autoleucel"

  Scenario: A record that says only adoptive T-cell therapy may or may not be genetically modified
    Given a 40-year-old man screened on 2026-11-20
    And he received autologous T-cell infusion as adoptive T-cell therapy 3 months before screening
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-03 is needs-review because CAR-T therapy is ambiguous
    And the explanation of EXC-03 mentions "autologous T-cell infusion"

  Scenario Outline: A systemic immunosuppressant within 4 weeks before dosing is GVHD medication
    Given a 40-year-old man screened on 2026-11-20
    And his first dose is planned for 2026-12-08
    And he received <drug> 2 mg/day orally until 10 days before the first dose
    And his condition history is complete
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-06c is ineligible
    And the explanation of EXC-06c mentions "<drug>"

    Examples:
      | drug                    |
      | tacrolimus              |
      | mycophenolate mofetil   |
      | sirolimus               |
      | ciclosporin             |
      | ruxolitinib             |

  Scenario: A systemic immunosuppressant stopped more than 4 weeks before dosing
    Given a 40-year-old man screened on 2026-11-20
    And his first dose is planned for 2026-12-08
    And he received tacrolimus 2 mg/day orally until 5 weeks before the first dose
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-06c is eligible

  Scenario: A steroid without GVHD is leukemia treatment, not GVHD medication
    Given a 40-year-old man screened on 2026-11-20
    And his first dose is planned for 2026-12-08
    And he received dexamethasone 10 mg/day orally until 10 days before the first dose
    And his condition history is complete
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-06c is eligible

  Scenario Outline: A steroid given to a patient with GVHD: the investigator says whether it was for GVHD
    Given a 40-year-old man screened on 2026-11-20
    And his first dose is planned for 2026-12-08
    And he received methylprednisolone 40 mg/day orally until 10 days before the first dose
    And he has acute GVHD since 2026-11-10
    And his therapy history is complete
    And the investigator answers "<answer>" for EXC-06c
    When he is screened for NCT07245251
    Then criterion EXC-06c is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | ineligible |
      | no     | eligible   |

  Scenario: A steroid given to a patient with GVHD needs the investigator
    Given a 40-year-old man screened on 2026-11-20
    And his first dose is planned for 2026-12-08
    And he received methylprednisolone 40 mg/day orally until 10 days before the first dose
    And he has acute GVHD since 2026-11-10
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-06c is needs-review because given for GVHD is a judgement

  Scenario: Acute GVHD now excludes
    Given a 40-year-old man screened on 2026-11-20
    And he has acute GVHD since 2026-11-10
    When he is screened for NCT07245251
    Then criterion EXC-06a is ineligible
    And the explanation of EXC-06a mentions "has acute GVHD within 4 weeks before screening: yes"

  Scenario: Moderate to severe chronic GVHD excludes
    Given a 40-year-old man screened on 2026-11-20
    And he has moderate to severe chronic GVHD
    When he is screened for NCT07245251
    Then criterion EXC-06b is ineligible

  Scenario: Chronic GVHD recorded without its severity
    Given a 40-year-old man screened on 2026-11-20
    And he has chronic GVHD
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-06b is needs-review because moderate to severe chronic GVHD is ambiguous

  Scenario Outline: A specific autoimmune disease asks whether it is active, systemic and under treatment
    Given a 40-year-old woman screened on 2026-11-20
    And she has <disease>
    And her condition history is complete
    When she is screened for NCT07245251
    Then criterion EXC-07 is needs-review because active systemic autoimmune disease under treatment is a judgement
    And the explanation of EXC-07 mentions "has autoimmune disease: yes"

    Examples:
      | disease              |
      | rheumatoid arthritis |
      | multiple sclerosis   |

  Scenario: Rheumatoid arthritis under treatment excludes
    Given a 40-year-old woman screened on 2026-11-20
    And she has rheumatoid arthritis
    And the investigator answers "yes" for EXC-07
    When she is screened for NCT07245251
    Then criterion EXC-07 is ineligible

  Scenario: No autoimmune disease in a complete condition history
    Given a 40-year-old woman screened on 2026-11-20
    And her condition history is complete
    When she is screened for NCT07245251
    Then criterion EXC-07 is eligible

  Scenario Outline: Another malignancy within 5 years excludes unless the investigator judges it low-risk
    Given a 40-year-old man screened on 2026-11-20
    And he had <cancer> from 2023-02-01 to 2023-09-01
    And his condition history is complete
    And the investigator answers "no" for EXC-09
    When he is screened for NCT07245251
    Then criterion EXC-09 is ineligible
    And the explanation of EXC-09 mentions "within 5 years before screening: yes (recorded as <cancer>"

    Examples:
      | cancer                |
      | gastric cancer        |
      | eosinophilic leukemia |

  Scenario: Another malignancy within 5 years needs the investigator's view on its risk
    Given a 40-year-old man screened on 2026-11-20
    And he has gastric cancer
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-09 is needs-review because low risk of recurrence is a judgement

  Scenario: The B-ALL under study and its CNS involvement are not another malignancy
    Given a 40-year-old man screened on 2026-11-20
    And he has B-cell acute lymphoblastic leukemia
    And he has CNS leukemia
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-09 is eligible

  Scenario: A leukemia recorded without saying which may be another malignancy
    Given a 40-year-old man screened on 2026-11-20
    And he has leukemia
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-09 is needs-review because malignant neoplasm is ambiguous
    And the explanation of EXC-09 mentions "does not say whether it is malignant neoplasm other than acute lymphoblastic leukemia"

  Scenario Outline: Epilepsy, cerebral ischemia or hemorrhage, or cerebellar disease at any time excludes
    Given a 40-year-old man screened on 2026-11-20
    And he had <disease> from 2015-03-01 to 2015-06-01
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-12 is ineligible
    And the explanation of EXC-12 mentions "has <kind> ever: yes"

    Examples:
      | disease                   | kind                      |
      | epilepsy                  | epilepsy                  |
      | stroke                    | stroke                    |
      | ischemic stroke           | stroke                    |
      | intracerebral hemorrhage  | intracranial hemorrhage   |
      | transient ischemic attack | transient ischemic attack |
      | cerebellar disease        | cerebellar disease        |

  Scenario Outline: Epilepsy or stroke recorded present excludes
    Given a 40-year-old man screened on 2026-11-20
    And he has <disease>
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-12 is ineligible

    Examples:
      | disease  |
      | epilepsy |
      | stroke   |

  Scenario: Another CNS disease excludes while it is active
    Given a 40-year-old man screened on 2026-11-20
    And he has Parkinson's disease
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-12 is ineligible
    And the explanation of EXC-12 mentions "has central nervous system disease: yes"

  Scenario: A past brain injury that has resolved is not an active CNS disease
    Given a 40-year-old man screened on 2026-11-20
    And he had traumatic brain injury from 2015-03-01 to 2015-06-01
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-12 is eligible

  Scenario: No CNS disease in a complete condition history
    Given a 40-year-old man screened on 2026-11-20
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-12 is eligible

  Scenario: No condition history: CNS disease cannot be ruled out
    Given a 40-year-old man screened on 2026-11-20
    When he is screened for NCT07245251
    Then criterion EXC-12 is needs-review because epilepsy is missing

  Scenario Outline: Deep vein thrombosis or pulmonary embolism within 6 months before screening
    Given a 40-year-old man screened on 2026-11-20
    And he had <event> from <onset> to <resolved>
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-13 is <verdict>

    Examples:
      | event                 | onset      | resolved   | verdict    |
      | deep vein thrombosis  | 2026-08-01 | 2026-09-15 | ineligible |
      | pulmonary embolism    | 2026-07-01 | 2026-08-01 | ineligible |
      | pulmonary embolism    | 2026-02-01 | 2026-04-01 | eligible   |

  Scenario: A thromboembolic event that may have been venous
    Given a 40-year-old man screened on 2026-11-20
    And he has thromboembolic event
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-13 is needs-review because venous thromboembolism is ambiguous
    And the explanation of EXC-13 mentions "thromboembolism"

  Scenario: A vaccine that may or may not be live
    Given a 40-year-old man screened on 2026-11-20
    And he received FluMist as vaccine 3 weeks before screening
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-15 is needs-review because live vaccine is ambiguous
    And the explanation of EXC-15 mentions "FluMist"

  Scenario Outline: Live and non-live vaccines within 6 weeks before screening
    Given a 40-year-old man screened on 2026-11-20
    And he received <vaccine> 3 weeks before screening
    And his therapy history is complete
    When he is screened for NCT07245251
    Then criterion EXC-15 is <verdict>

    Examples:
      | vaccine                            | verdict    |
      | measles, mumps and rubella vaccine | ineligible |
      | varicella vaccine                  | ineligible |
      | inactivated influenza vaccine      | eligible   |

  Scenario: Active tuberculosis is an active infection
    Given a 40-year-old man screened on 2026-11-20
    And he has active tuberculosis
    When he is screened for NCT07245251
    Then criterion EXC-16 is ineligible
    And the explanation of EXC-16 mentions "has infection: yes"

  Scenario: A latent tuberculosis infection is not an active infection
    Given a 40-year-old man screened on 2026-11-20
    And he has latent tuberculosis infection
    And his condition history is complete
    When he is screened for NCT07245251
    Then criterion EXC-16 is eligible
