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
