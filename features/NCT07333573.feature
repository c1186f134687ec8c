Feature: Prescreening for NCT07333573 (XW-LTH-03 AXL/CD73 CAR-T in stage IV gastric cancer)
  Each scenario sets up only the data a criterion reads, and checks its verdict and why.
  Screening is on 2026-03-02 unless a scenario says otherwise; laboratory values of inclusion item 8 must be
  dated within 28 days before enrollment.

  # ------------------------------------------------------------------------------------------- INC-01 age
  Scenario Outline: Age 18 to 75 on the screening date
    Given a <age>-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion INC-01 is <verdict>

    Examples:
      | age | verdict    |
      | 17  | ineligible |
      | 18  | eligible   |
      | 75  | eligible   |
      | 76  | ineligible |

  Scenario: Age 76 reached on the screening date itself
    Given a patient screened on 2026-03-02
    And he was born on 1950-03-02
    When he is screened for NCT07333573
    Then criterion INC-01 is ineligible
    And the explanation of INC-01 mentions "age between 18 and 75 years: no (76 years at screening"

  Scenario: No birth date recorded
    Given a patient screened on 2026-03-02
    When she is screened for NCT07333573
    Then criterion INC-01 is needs-review because age is missing

  # ------------------------------------------------------------------------- INC-02 disease and therapy
  Scenario: Stage IV gastric cancer progressed on standard therapy still needs the unresectability judgement
    Given a 60-year-old man screened on 2026-03-02
    And he has stage IV gastric cancer
    And he has gastric cancer progressed on standard therapy
    When he is screened for NCT07333573
    Then criterion INC-02 is needs-review because clinically judged unresectable is a judgement

  Scenario: Investigator confirms the disease is unresectable
    Given a 60-year-old man screened on 2026-03-02
    And he has stage IV gastric cancer
    And he has gastric cancer progressed on standard therapy
    And the investigator answers "yes" for INC-02
    When he is screened for NCT07333573
    Then criterion INC-02 is eligible

  Scenario: A patient who voluntarily foregoes standard therapy qualifies
    Given a 60-year-old man screened on 2026-03-02
    And he has stage IV gastric cancer
    And he does not have gastric cancer progressed on standard therapy
    And he does not have intolerance to standard anticancer therapy
    And he has standard therapy voluntarily foregone
    And the investigator answers "yes" for INC-02
    When he is screened for NCT07333573
    Then criterion INC-02 is eligible

  Scenario: Neither progression, intolerance nor a decision to forego standard therapy
    Given a 60-year-old man screened on 2026-03-02
    And he has stage IV gastric cancer
    And his condition history is complete
    When he is screened for NCT07333573
    Then criterion INC-02 is ineligible

  Scenario: Gastric cancer that is not stage IV is ineligible without asking the investigator
    Given a 60-year-old man screened on 2026-03-02
    And he does not have stage IV gastric cancer
    When he is screened for NCT07333573
    Then criterion INC-02 is ineligible

  Scenario: Stage of the gastric cancer not recorded
    Given a 60-year-old man screened on 2026-03-02
    And he has gastric cancer progressed on standard therapy
    And the investigator answers "yes" for INC-02
    When he is screened for NCT07333573
    Then criterion INC-02 is needs-review because stage IV gastric cancer is missing

  # -------------------------------------------------------------------------------- INC-03 AXL and CD73 IHC
  Scenario Outline: AXL positivity rate of at least 50%
    Given a 60-year-old man screened on 2026-03-02
    And AXL positivity rate <rate> %
    When he is screened for NCT07333573
    Then criterion INC-03a is <verdict>

    Examples:
      | rate | verdict    |
      | 49   | ineligible |
      | 50   | eligible   |

  Scenario Outline: AXL staining intensity ranks against ++
    Given a 60-year-old man screened on 2026-03-02
    And his AXL staining intensity is <intensity>
    When he is screened for NCT07333573
    Then criterion INC-03b is <verdict>

    Examples:
      | intensity | verdict    |
      | 0         | ineligible |
      | +         | ineligible |
      | ++        | eligible   |
      | +++       | eligible   |

  Scenario Outline: CD73 positivity rate of at least 30%
    Given a 60-year-old man screened on 2026-03-02
    And CD73 positivity rate <rate> %
    When he is screened for NCT07333573
    Then criterion INC-03c is <verdict>

    Examples:
      | rate | verdict    |
      | 29   | ineligible |
      | 30   | eligible   |

  Scenario Outline: CD73 staining intensity ranks against +
    Given a 60-year-old man screened on 2026-03-02
    And his CD73 staining intensity is <intensity>
    When he is screened for NCT07333573
    Then criterion INC-03d is <verdict>

    Examples:
      | intensity | verdict    |
      | 0         | ineligible |
      | +         | eligible   |
      | ++        | eligible   |

  Scenario: No AXL or CD73 result from the central laboratory
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion INC-03a is needs-review because AXL positivity rate is missing
    And criterion INC-03b is needs-review because AXL staining intensity is missing
    And criterion INC-03c is needs-review because CD73 positivity rate is missing
    And criterion INC-03d is needs-review because CD73 staining intensity is missing

  Scenario: IHC dated within 3 months before screening is accepted
    Given a 60-year-old man screened on 2026-03-02
    And AXL positivity rate 70 % 3 months before screening
    When he is screened for NCT07333573
    Then criterion INC-03a is eligible

  Scenario: IHC older than 3 months before screening is stale
    Given a 60-year-old man screened on 2026-03-02
    And AXL positivity rate 70 % 4 months before screening
    And his AXL staining intensity is +++ 4 months before screening
    When he is screened for NCT07333573
    Then criterion INC-03a is needs-review because AXL positivity rate is stale
    And criterion INC-03b is needs-review because AXL staining intensity is stale

  # --------------------------------------------------------------------------- INC-04 to INC-06
  Scenario Outline: ECOG performance status 0 or 1
    Given a 60-year-old man screened on 2026-03-02
    And ECOG <ecog>
    When he is screened for NCT07333573
    Then criterion INC-04 is <verdict>

    Examples:
      | ecog | verdict    |
      | 1    | eligible   |
      | 2    | ineligible |

  Scenario: ECOG not assessed
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion INC-04 is needs-review because ECOG performance status is missing

  Scenario: ECOG assessed 2 months before screening is stale
    Given a 60-year-old man screened on 2026-03-02
    And ECOG 1 2 months before screening
    When he is screened for NCT07333573
    Then criterion INC-04 is needs-review because ECOG performance status is stale

  Scenario Outline: Life expectancy of at least 3 months
    Given a 60-year-old man screened on 2026-03-02
    And expected lifespan <months> months
    When he is screened for NCT07333573
    Then criterion INC-05 is <verdict>

    Examples:
      | months | verdict    |
      | 2.9    | ineligible |
      | 3      | eligible   |

  Scenario: Life expectancy in weeks
    Given a 60-year-old man screened on 2026-03-02
    And expected lifespan 12 weeks
    When he is screened for NCT07333573
    Then criterion INC-05 is ineligible

  Scenario: Life expectancy not estimated
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion INC-05 is needs-review because expected lifespan is missing

  Scenario Outline: A measurable lesion of at least 1 cm
    Given a 60-year-old man screened on 2026-03-02
    And measurable lesion diameter <size>
    When he is screened for NCT07333573
    Then criterion INC-06 is <verdict>

    Examples:
      | size   | verdict    |
      | 9 mm   | ineligible |
      | 10 mm  | eligible   |
      | 0.9 cm | ineligible |
      | 1.0 cm | eligible   |

  Scenario: No measurable lesion recorded
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion INC-06 is needs-review because longest diameter of the largest measurable lesion is missing

  # --------------------------------------------------------------- INC-07 washout and residual toxicity
  Scenario: Last chemotherapy ended 29 days before enrollment: more than 4 weeks
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received oxaliplatin 29 days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion INC-07a is eligible

  Scenario: Last chemotherapy ended exactly 4 weeks before enrollment: not more than 4 weeks
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received oxaliplatin 28 days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion INC-07a is ineligible
    And the explanation of INC-07a mentions "oxaliplatin"

  Scenario: Nivolumab 3 weeks before enrollment counts as the last treatment
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received nivolumab 3 weeks before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion INC-07a is ineligible

  Scenario: Recent chemotherapy and no enrollment date yet
    Given a 60-year-old man screened on 2026-03-02
    And he received capecitabine 10 days before screening
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion INC-07a is needs-review because enrollment date is missing

  Scenario: Prior treatment history not recorded
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And his therapy history is not recorded
    When he is screened for NCT07333573
    Then criterion INC-07a is needs-review because anticancer therapy is missing

  Scenario Outline: Toxicities of previous treatment recovered to grade 1 or less
    Given a 60-year-old man screened on 2026-03-02
    And prior treatment toxicity grade <grade>
    When he is screened for NCT07333573
    Then criterion INC-07b is <verdict>

    Examples:
      | grade | verdict    |
      | 0     | eligible   |
      | 1     | eligible   |
      | 2     | ineligible |

  Scenario: Residual toxicity not assessed
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion INC-07b is needs-review because unresolved toxicity from previous treatment is missing

  # ------------------------------------------------------------------------ INC-08 laboratory values
  Scenario Outline: Hemoglobin of at least 90 g/L, in g/L or g/dL
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And hemoglobin <value>
    When she is screened for NCT07333573
    Then criterion INC-08a is <verdict>

    Examples:
      | value    | verdict    |
      | 89 g/L   | ineligible |
      | 90 g/L   | eligible   |
      | 8.9 g/dL | ineligible |
      | 9.0 g/dL | eligible   |

  Scenario: Hemoglobin in g/L is shown converted to the catalog unit
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And hemoglobin 95 g/L
    When she is screened for NCT07333573
    Then the explanation of INC-08a mentions "hemoglobin within 28 days before enrollment ≥ 90 g/L: yes (95 g/L = 9.5 g/dL"

  Scenario: Hemoglobin not measured
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    When she is screened for NCT07333573
    Then criterion INC-08a is needs-review because hemoglobin is missing

  Scenario: Hemoglobin 29 days before enrollment is too old
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And hemoglobin 120 g/L on 2026-02-08
    When she is screened for NCT07333573
    Then criterion INC-08a is needs-review because hemoglobin is stale

  Scenario: Hemoglobin 28 days before enrollment is recent enough
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And hemoglobin 120 g/L on 2026-02-09
    When she is screened for NCT07333573
    Then criterion INC-08a is eligible

  Scenario: Without an enrollment date a laboratory value cannot be placed in its window
    Given a 60-year-old woman screened on 2026-03-02
    And hemoglobin 120 g/L
    When she is screened for NCT07333573
    Then criterion INC-08a is needs-review because enrollment date is missing

  Scenario Outline: Absolute neutrophil count of at least 1.0 × 10^9/L
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And absolute neutrophil count <value>
    When she is screened for NCT07333573
    Then criterion INC-08b is <verdict>

    Examples:
      | value       | verdict    |
      | 0.9 x10^9/L | ineligible |
      | 1.0 x10^9/L | eligible   |
      | 0.99 K/µL   | ineligible |
      | 1.0 K/µL    | eligible   |

  Scenario: Neutrophil count not measured
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    When she is screened for NCT07333573
    Then criterion INC-08b is needs-review because absolute neutrophil count is missing

  Scenario Outline: Absolute lymphocyte count of at least 0.5 × 10^9/L
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And absolute lymphocyte count <value>
    When she is screened for NCT07333573
    Then criterion INC-08c is <verdict>

    Examples:
      | value       | verdict    |
      | 0.4 x10^9/L | ineligible |
      | 0.5 x10^9/L | eligible   |
      | 0.49 K/µL   | ineligible |
      | 0.5 K/µL    | eligible   |

  Scenario: Lymphocyte count not measured
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    When she is screened for NCT07333573
    Then criterion INC-08c is needs-review because lymphocytes is missing

  Scenario Outline: Platelet count of at least 100 × 10^9/L
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And platelets <value>
    When she is screened for NCT07333573
    Then criterion INC-08d is <verdict>

    Examples:
      | value       | verdict    |
      | 99 x10^9/L  | ineligible |
      | 100 x10^9/L | eligible   |
      | 99 K/µL     | ineligible |
      | 100 K/µL    | eligible   |

  Scenario: Platelet count not measured
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    When she is screened for NCT07333573
    Then criterion INC-08d is needs-review because platelets is missing

  Scenario Outline: ALT and AST at most 3 × ULN
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And ALT <alt> U/L with ULN 40 U/L
    And AST <ast> U/L with ULN 40 U/L
    When she is screened for NCT07333573
    Then criterion INC-08e is <alt verdict>
    And criterion INC-08f is <ast verdict>

    Examples:
      | alt | ast | alt verdict | ast verdict |
      | 120 | 121 | eligible    | ineligible  |
      | 121 | 120 | ineligible  | eligible    |

  Scenario: ALT without a reference range
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And ALT 30 U/L
    When she is screened for NCT07333573
    Then criterion INC-08e is needs-review because ALT ULN is missing

  Scenario: AST not measured
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    When she is screened for NCT07333573
    Then criterion INC-08f is needs-review because AST is missing

  Scenario Outline: Amylase and lipase at most 1.0 × ULN
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And amylase <amylase> U/L with ULN 100 U/L
    And lipase <lipase> U/L with ULN 60 U/L
    When she is screened for NCT07333573
    Then criterion INC-08g is <amylase verdict>
    And criterion INC-08h is <lipase verdict>

    Examples:
      | amylase | lipase | amylase verdict | lipase verdict |
      | 100     | 61     | eligible        | ineligible     |
      | 101     | 60     | ineligible      | eligible       |

  Scenario: Amylase and lipase not measured
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    When she is screened for NCT07333573
    Then criterion INC-08g is needs-review because amylase is missing
    And criterion INC-08h is needs-review because lipase is missing

  Scenario Outline: Total bilirubin at most 1.5 × ULN, in mg/dL or µmol/L
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And total bilirubin <value> with ULN <uln>
    When she is screened for NCT07333573
    Then criterion INC-08i is <verdict>

    Examples:
      | value       | uln         | verdict    |
      | 1.8 mg/dL   | 1.2 mg/dL   | eligible   |
      | 1.81 mg/dL  | 1.2 mg/dL   | ineligible |
      | 31.5 µmol/L | 21 µmol/L   | eligible   |
      | 31.6 µmol/L | 21 µmol/L   | ineligible |
      | 30 µmol/L   | 1.2 mg/dL   | eligible   |
      | 32 µmol/L   | 1.2 mg/dL   | ineligible |

  Scenario: Bilirubin in µmol/L against a ULN in mg/dL is explained as a ratio
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    And total bilirubin 30 µmol/L with ULN 1.2 mg/dL
    When she is screened for NCT07333573
    Then the explanation of INC-08i mentions "(30 µmol/L = 1.462 × ULN of 1.2 mg/dL"

  Scenario: Total bilirubin not measured
    Given a 60-year-old woman screened on 2026-03-02
    And her enrollment is planned for 2026-03-09
    When she is screened for NCT07333573
    Then criterion INC-08i is needs-review because total bilirubin is missing

  Scenario Outline: Serum creatinine at most 1.5 × ULN, in mg/dL or µmol/L
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And creatinine <value> with ULN <uln>
    And body weight 50 kg
    When he is screened for NCT07333573
    Then criterion INC-08j is <verdict>

    Examples:
      | value       | uln        | verdict    |
      | 1.5 mg/dL   | 1.0 mg/dL  | eligible   |
      | 1.6 mg/dL   | 1.0 mg/dL  | ineligible |
      | 132 µmol/L  | 88 µmol/L  | eligible   |
      | 133 µmol/L  | 88 µmol/L  | ineligible |

  Scenario Outline: Creatinine above 1.5 × ULN rescued by a creatinine clearance of at least 50 mL/min
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And creatinine 1.6 mg/dL with ULN 1.0 mg/dL
    And body weight <weight> kg
    When he is screened for NCT07333573
    Then criterion INC-08j is <verdict>
    And the explanation of INC-08j mentions "creatinine clearance (Cockcroft-Gault) within 28 days before enrollment ≥ 50 mL/min: <answer> (<crcl> mL/min"

    Examples:
      | weight | crcl  | verdict    | answer |
      | 71     | 49.31 | ineligible | no     |
      | 72     | 50    | eligible   | yes    |

  Scenario: Creatinine in µmol/L above 1.5 × ULN with a clearance of 50 mL/min or more
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And creatinine 141 µmol/L with ULN 88 µmol/L
    And body weight 80 kg
    When he is screened for NCT07333573
    Then criterion INC-08j is eligible
    And the explanation of INC-08j mentions "serum creatinine within 28 days before enrollment ≤ 1.5 × ULN: no (141 µmol/L = 1.602 × ULN"

  Scenario: Creatinine above 1.5 × ULN and no body weight for the clearance
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And creatinine 1.6 mg/dL with ULN 1.0 mg/dL
    When he is screened for NCT07333573
    Then criterion INC-08j is needs-review because body weight is missing

  Scenario: Creatinine not measured
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    When he is screened for NCT07333573
    Then criterion INC-08j is needs-review because serum creatinine is missing

  Scenario Outline: INR below 1.5 × ULN
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And INR <inr> with ULN 1.1
    And prothrombin time <pt> s with ULN 11 s
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion INC-08k is <verdict>

    Examples:
      | inr  | pt   | verdict    |
      | 1.64 | 16.4 | eligible   |
      | 1.65 | 16.5 | ineligible |

  Scenario: A prothrombin time below 1.5 × ULN suffices without an INR
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And prothrombin time 14 s with ULN 11 s
    When he is screened for NCT07333573
    Then criterion INC-08k is eligible

  Scenario: INR at 1.5 × ULN and no prothrombin time needs the prothrombin time
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And INR 1.65 with ULN 1.1
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion INC-08k is needs-review because prothrombin time is missing

  Scenario: Neither PT nor INR measured
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion INC-08k is needs-review because INR is missing

  Scenario Outline: PTT below 1.5 × ULN
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And PTT <ptt> s with ULN 35 s
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion INC-08l is <verdict>

    Examples:
      | ptt  | verdict    |
      | 52.4 | eligible   |
      | 52.5 | ineligible |

  Scenario: PTT not measured
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion INC-08l is needs-review because APTT is missing

  Scenario: Prolonged INR and PTT on warfarin go to the investigator under the anticoagulation exemption
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And INR 2.5 with ULN 1.1
    And PTT 60 s with ULN 35 s
    And he is receiving warfarin
    When he is screened for NCT07333573
    Then criterion INC-08k is needs-review because warfarin or heparin is a judgement
    And criterion INC-08l is needs-review because warfarin or heparin is a judgement

  Scenario: Anticoagulation exemption accepted, but current anticoagulation still excludes
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And INR 2.5 with ULN 1.1
    And PTT 60 s with ULN 35 s
    And he is receiving heparin
    And the investigator answers "yes" for INC-08k
    And the investigator answers "yes" for INC-08l
    When he is screened for NCT07333573
    Then criterion INC-08k is eligible
    And criterion INC-08l is eligible
    And criterion EXC-16 is ineligible

  Scenario: Anticoagulation exemption refused by the investigator
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And INR 2.5 with ULN 1.1
    And prothrombin time 28 s with ULN 11 s
    And he is receiving warfarin
    And the investigator answers "no" for INC-08k
    When he is screened for NCT07333573
    Then criterion INC-08k is ineligible

  Scenario: A direct oral anticoagulant is not covered by the warfarin or heparin exemption
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And INR 2.0 with ULN 1.1
    And prothrombin time 25 s with ULN 11 s
    And he is receiving rivaroxaban
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion INC-08k is ineligible

  # ------------------------------------------------------------------------------- INC-09 to INC-11
  Scenario: Cardiac and pulmonary function needs the investigator
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion INC-09 is needs-review because adequate cardiac and pulmonary function is a judgement

  Scenario: Investigator attests adequate cardiac and pulmonary function
    Given a 60-year-old man screened on 2026-03-02
    And the investigator answers "yes" for INC-09
    When he is screened for NCT07333573
    Then criterion INC-09 is eligible

  Scenario Outline: Pregnancy test within 7 days before the first dose
    Given a 30-year-old woman screened on 2026-03-09
    And she has childbearing potential
    And she does not have pregnancy
    And her first dose is planned for <first dose>
    And her pregnancy test is <result>
    When she is screened for NCT07333573
    Then criterion INC-10a is <verdict>

    Examples:
      | first dose | result   | verdict    |
      | 2026-03-16 | negative | eligible   |
      | 2026-03-16 | positive | ineligible |

  Scenario: A recorded pregnancy is not outweighed by a negative test
    Given a 30-year-old woman screened on 2026-03-09
    And she has childbearing potential
    And she has pregnancy
    And her first dose is planned for 2026-03-16
    And her pregnancy test is negative
    When she is screened for NCT07333573
    Then criterion INC-10a is ineligible
    And the explanation of INC-10a mentions "has pregnancy"

  Scenario: A negative test with pregnancy not recorded either way needs the pregnancy status
    Given a 30-year-old woman screened on 2026-03-09
    And she has childbearing potential
    And her first dose is planned for 2026-03-16
    And her pregnancy test is negative
    When she is screened for NCT07333573
    Then criterion INC-10a is needs-review because pregnancy is missing

  Scenario: Pregnancy test 8 days before the first dose is too old
    Given a 30-year-old woman screened on 2026-03-09
    And she has childbearing potential
    And her first dose is planned for 2026-03-17
    And her pregnancy test is negative
    When she is screened for NCT07333573
    Then criterion INC-10a is needs-review because pregnancy test is stale

  Scenario: No pregnancy test for a woman of childbearing potential
    Given a 30-year-old woman screened on 2026-03-09
    And she has childbearing potential
    And her first dose is planned for 2026-03-16
    When she is screened for NCT07333573
    Then criterion INC-10a is needs-review because pregnancy test is missing

  Scenario: Pregnancy test without a planned first dose cannot be placed in its window
    Given a 30-year-old woman screened on 2026-03-09
    And she has childbearing potential
    And her pregnancy test is negative
    When she is screened for NCT07333573
    Then criterion INC-10a is needs-review because first dose date is missing

  Scenario: No pregnancy test needed for a man
    Given a 30-year-old man screened on 2026-03-09
    When he is screened for NCT07333573
    Then criterion INC-10a is eligible

  Scenario: No pregnancy test needed for a woman without childbearing potential
    Given a 60-year-old woman screened on 2026-03-09
    And she does not have childbearing potential
    When she is screened for NCT07333573
    Then criterion INC-10a is eligible

  Scenario: Childbearing potential not recorded
    Given a 30-year-old woman screened on 2026-03-09
    When she is screened for NCT07333573
    Then criterion INC-10a is needs-review because childbearing potential is missing

  Scenario: Contraception agreement and informed consent need a person
    Given a 30-year-old man screened on 2026-03-09
    When he is screened for NCT07333573
    Then criterion INC-10b is needs-review because effective contraception is a judgement
    And criterion INC-11 is needs-review because informed consent is a judgement

  Scenario: Contraception agreement and informed consent attested
    Given a 30-year-old man screened on 2026-03-09
    And the investigator answers "yes" for INC-10b
    And the investigator answers "yes" for INC-11
    When he is screened for NCT07333573
    Then criterion INC-10b is eligible
    And criterion INC-11 is eligible

  # ------------------------------------------------------------------------ EXC-01 to EXC-03
  Scenario Outline: A recorded condition excludes
    Given a 60-year-old man screened on 2026-03-02
    And he has <condition>
    When he is screened for NCT07333573
    Then criterion <id> is ineligible

    Examples:
      | condition                               | id      |
      | autoimmune disease                      | EXC-01  |
      | rheumatoid arthritis                    | EXC-01  |
      | ulcerative colitis                      | EXC-01  |
      | severe allergy to monoclonal antibodies | EXC-05  |
      | interstitial lung disease               | EXC-07  |
      | renal failure or uremia                 | EXC-08c |
      | symptoms of severe respiratory failure  | EXC-08d |
      | impaired consciousness                  | EXC-08e |
      | history of organ transplantation        | EXC-10  |
      | kidney transplant status                | EXC-10  |
      | gastrointestinal bleeding               | EXC-11a |
      | drug abuse                              | EXC-12a |
      | thyroid dysfunction                     | EXC-14  |

  Scenario Outline: A condition with no record cannot be ruled out
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion <id> is needs-review because <condition> is missing

    Examples:
      | condition                               | id      |
      | autoimmune disease                      | EXC-01  |
      | severe allergy to monoclonal antibodies | EXC-05  |
      | hypersensitivity                        | EXC-06  |
      | drug intolerance                        | EXC-06  |
      | interstitial lung disease               | EXC-07  |
      | kidney failure                          | EXC-08c |
      | respiratory failure                     | EXC-08d |
      | impaired consciousness                  | EXC-08e |
      | history of organ transplantation        | EXC-10  |
      | gastrointestinal bleeding               | EXC-11a |
      | substance use disorder                  | EXC-12a |
      | thyroid disorder                        | EXC-14  |

  Scenario: An allergy or drug intolerance goes to the investigator for the investigational drug
    Given a 60-year-old man screened on 2026-03-02
    And he has drug allergy
    And his condition history is complete
    When he is screened for NCT07333573
    Then criterion EXC-06 is needs-review because XW-LTH-03 is a judgement

  Scenario Outline: The investigator decides whether the allergy or intolerance concerns XW-LTH-03
    Given a 60-year-old man screened on 2026-03-02
    And he has drug intolerance
    And his condition history is complete
    And the investigator answers "<answer>" for EXC-06
    When he is screened for NCT07333573
    Then criterion EXC-06 is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | ineligible |
      | no     | eligible   |

  Scenario: A liver transplant recorded as a procedure excludes
    Given a 60-year-old man screened on 2026-03-02
    And he received liver transplant 6 years before screening
    And his condition history is complete
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-10 is ineligible
    And the explanation of EXC-10 mentions "received organ transplantation ever: yes"

  Scenario: Organ transplantation must be ruled out in both histories
    Given a 60-year-old man screened on 2026-03-02
    And his condition history is complete
    When he is screened for NCT07333573
    Then criterion EXC-10 is needs-review because organ transplantation is missing

  Scenario: A complete condition history without these conditions rules them out
    Given a 60-year-old man screened on 2026-03-02
    And his condition history is complete
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-01 is eligible
    And criterion EXC-02 is eligible
    And criterion EXC-03 is eligible
    And criterion EXC-05 is eligible
    And criterion EXC-06 is eligible
    And criterion EXC-07 is eligible
    And criterion EXC-08c is eligible
    And criterion EXC-08d is eligible
    And criterion EXC-08e is eligible
    And criterion EXC-10 is eligible
    And criterion EXC-11a is eligible
    And criterion EXC-11b is eligible
    And criterion EXC-12a is eligible
    And criterion EXC-12b is eligible
    And criterion EXC-14 is eligible
    And criterion EXC-17b is eligible
    And criterion EXC-18 is eligible

  Scenario: Past interstitial lung disease excludes even when resolved
    Given a 60-year-old man screened on 2026-03-02
    And he had interstitial lung disease from 2019-05-01 to 2020-01-15
    When he is screened for NCT07333573
    Then criterion EXC-07 is ineligible

  Scenario: Brain metastases with active CNS symptoms exclude
    Given a 60-year-old man screened on 2026-03-02
    And he has brain metastases
    And he has symptomatic brain metastases
    When he is screened for NCT07333573
    Then criterion EXC-02 is ineligible

  Scenario: Untreated asymptomatic brain metastases exclude
    Given a 60-year-old man screened on 2026-03-02
    And he has brain metastases
    And he does not have symptomatic brain metastases
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-02 is ineligible
    And the explanation of EXC-02 mentions "received radiotherapy of the brain ever: no"

  Scenario: Asymptomatic brain metastases irradiated at least 3 months before enrollment do not exclude
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-16
    And he has brain metastases
    And he does not have symptomatic brain metastases
    And he received whole-brain radiotherapy 3 months before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-02 is eligible

  Scenario: Brain metastases irradiated less than 3 months before enrollment exclude
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-16
    And he has brain metastases
    And he does not have symptomatic brain metastases
    And he received stereotactic radiosurgery 2 months before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-02 is ineligible

  Scenario: Irradiated brain metastases with active CNS symptoms exclude
    Given a 60-year-old man screened on 2026-03-02
    And he has brain metastases
    And he has symptomatic brain metastases
    And he received whole-brain radiotherapy 6 months before screening
    When he is screened for NCT07333573
    Then criterion EXC-02 is ineligible

  Scenario: Asymptomatic brain metastases whose treatment is not recorded
    Given a 60-year-old man screened on 2026-03-02
    And he has brain metastases
    And he does not have symptomatic brain metastases
    And his therapy history is not recorded
    When he is screened for NCT07333573
    Then criterion EXC-02 is needs-review because radiotherapy of the brain is missing

  Scenario: No brain metastases: CNS symptoms need not be known
    Given a 60-year-old man screened on 2026-03-02
    And he does not have brain metastases
    When he is screened for NCT07333573
    Then criterion EXC-02 is eligible

  Scenario: Brain metastases with CNS symptoms not recorded
    Given a 60-year-old man screened on 2026-03-02
    And he has brain metastases
    When he is screened for NCT07333573
    Then criterion EXC-02 is needs-review because active brain metastasis is ambiguous

  Scenario: Treated, stable brain metastases irradiated at least 3 months before enrollment do not exclude
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-16
    And he has treated, stable brain metastasis
    And he received whole-brain radiotherapy 4 months before enrollment
    And his condition history is complete
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-02 is eligible

  Scenario: Brain metastases irradiated only as "radiotherapy" need review
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-16
    And he has treated, stable brain metastasis
    And he received radiotherapy 4 months before enrollment
    And his condition history is complete
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-02 is needs-review because radiotherapy of the brain is ambiguous

  Scenario: An active infection goes to the investigator
    Given a 60-year-old man screened on 2026-03-02
    And he has active infection
    When he is screened for NCT07333573
    Then criterion EXC-03 is needs-review because systemic and uncontrolled is a judgement

  Scenario: Investigator judges the active infection uncontrolled and systemic
    Given a 60-year-old man screened on 2026-03-02
    And he has active infection
    And the investigator answers "yes" for EXC-03
    When he is screened for NCT07333573
    Then criterion EXC-03 is ineligible

  Scenario: Investigator judges the active infection controlled
    Given a 60-year-old man screened on 2026-03-02
    And he has active infection
    And the investigator answers "no" for EXC-03
    When he is screened for NCT07333573
    Then criterion EXC-03 is eligible

  Scenario: No active infection
    Given a 60-year-old man screened on 2026-03-02
    And he does not have active infection
    When he is screened for NCT07333573
    Then criterion EXC-03 is eligible

  Scenario: Active tuberculosis goes to the investigator, whatever the rest of the record says
    Given a 60-year-old man screened on 2026-03-02
    And he has active tuberculosis
    And his condition history is complete
    When he is screened for NCT07333573
    Then criterion EXC-03 is needs-review because systemic and uncontrolled is a judgement
    And the explanation of EXC-03 mentions "has infection: yes"

  Scenario: Active tuberculosis judged systemic and uncontrolled excludes
    Given a 60-year-old man screened on 2026-03-02
    And he has active tuberculosis
    And his condition history is complete
    And the investigator answers "yes" for EXC-03
    When he is screened for NCT07333573
    Then criterion EXC-03 is ineligible

  # ------------------------------------------------------------------ EXC-04 steroids and immunosuppressants
  Scenario Outline: Corticosteroid dose above 10 mg/day methylprednisolone-equivalent within 14 days
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received <drug> <dose> mg/day orally until <days> days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-04a is <verdict>

    Examples:
      | drug               | dose | days | verdict    |
      | methylprednisolone | 10   | 1    | eligible   |
      | methylprednisolone | 12   | 1    | ineligible |
      | prednisone         | 12.5 | 1    | eligible   |
      | prednisone         | 15   | 1    | ineligible |
      | dexamethasone      | 1.5  | 1    | eligible   |
      | dexamethasone      | 2    | 1    | ineligible |
      | methylprednisolone | 40   | 13   | ineligible |
      | methylprednisolone | 40   | 14   | eligible   |

  Scenario: Dexamethasone dose is explained in methylprednisolone equivalents
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received dexamethasone 4 mg/day orally until 2 days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-04a is ineligible
    And the explanation of EXC-04a mentions "dexamethasone 4 mg/day"
    And criterion EXC-04a changes on 2026-03-21

  Scenario: Corticosteroid without a recorded dose
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received prednisone 3 days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-04a is needs-review because systemic corticosteroid is ambiguous

  Scenario: Steroid history not recorded
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And his therapy history is not recorded
    When he is screened for NCT07333573
    Then criterion EXC-04a is needs-review because systemic corticosteroid is missing
    And criterion EXC-04b is needs-review because immunosuppressant is missing

  Scenario Outline: Other immunosuppressive therapy within 14 days before enrollment
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received tacrolimus 2 mg/day orally until <days> days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-04b is <verdict>

    Examples:
      | days | verdict    |
      | 13   | ineligible |
      | 14   | eligible   |

  # ---------------------------------------------------------------------- EXC-08 organ failure
  Scenario Outline: Heart failure NYHA class III or IV excludes
    Given a 60-year-old man screened on 2026-03-02
    And NYHA class <class>
    When he is screened for NCT07333573
    Then criterion EXC-08a is <verdict>

    Examples:
      | class | verdict    |
      | 2     | eligible   |
      | 3     | ineligible |
      | 4     | ineligible |

  Scenario: NYHA class not recorded
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion EXC-08a is needs-review because NYHA class is missing

  Scenario: Child-Pugh class C from all five parts excludes
    Given a 60-year-old man screened on 2026-03-02
    And total bilirubin 3.5 mg/dL with ULN 1.2 mg/dL
    And albumin 2.6 g/dL
    And INR 2.0 with ULN 1.1
    And his ascites is moderate-severe
    And his hepatic encephalopathy is none
    When he is screened for NCT07333573
    Then criterion EXC-08b is ineligible
    And the explanation of EXC-08b mentions "Child-Pugh class is C: yes (class C: 12 points"

  Scenario: Child-Pugh class B does not exclude
    Given a 60-year-old man screened on 2026-03-02
    And total bilirubin 2.5 mg/dL with ULN 1.2 mg/dL
    And albumin 30 g/L
    And INR 1.2 with ULN 1.1
    And his ascites is mild
    And his hepatic encephalopathy is none
    When he is screened for NCT07333573
    Then criterion EXC-08b is eligible
    And the explanation of EXC-08b mentions "Child-Pugh class is C: no (class B: 8 points"

  Scenario: Child-Pugh class C is certain from three parts alone
    Given a 60-year-old man screened on 2026-03-02
    And total bilirubin 3.5 mg/dL with ULN 1.2 mg/dL
    And albumin 2.5 g/dL
    And INR 2.5 with ULN 1.1
    When he is screened for NCT07333573
    Then criterion EXC-08b is ineligible
    And the explanation of EXC-08b mentions "Child-Pugh class is C: yes (class C: 11-15 points"

  Scenario: Child-Pugh class cannot be settled without ascites and encephalopathy
    Given a 60-year-old man screened on 2026-03-02
    And total bilirubin 1.0 mg/dL with ULN 1.2 mg/dL
    And albumin 4.0 g/dL
    And INR 1.0 with ULN 1.1
    When he is screened for NCT07333573
    Then criterion EXC-08b is needs-review because ascites is missing

  Scenario: No liver tests for the Child-Pugh class
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion EXC-08b is needs-review because Child-Pugh class is missing

  # ---------------------------------------------------------------------- EXC-09 viral infections
  Scenario Outline: Active hepatitis B needs HBsAg and detectable HBV DNA
    Given a 60-year-old man screened on 2026-03-02
    And his HBsAg is <hbsag>
    And his HBV-DNA above the lower limit of detection is <dna>
    When he is screened for NCT07333573
    Then criterion EXC-09a is <verdict>

    Examples:
      | hbsag    | dna          | verdict    |
      | positive | detected     | ineligible |
      | positive | not detected | eligible   |
      | negative | detected     | eligible   |

  Scenario: HBsAg negative: HBV DNA need not be known
    Given a 60-year-old man screened on 2026-03-02
    And his HBsAg is negative
    When he is screened for NCT07333573
    Then criterion EXC-09a is eligible

  Scenario: HBsAg positive and no HBV DNA result
    Given a 60-year-old man screened on 2026-03-02
    And his HBsAg is positive
    When he is screened for NCT07333573
    Then criterion EXC-09a is needs-review because HBV-DNA above the lower limit of detection is missing

  Scenario: A quantifiable HBV DNA is a detectable one, and the newer result decides
    Given a 60-year-old man screened on 2026-03-02
    And his HBsAg is positive
    And his HBV-DNA above the lower limit of detection was not detected 20 days before screening
    And his HBV DNA was detected 5 days before screening
    When he is screened for NCT07333573
    Then criterion EXC-09a is ineligible

  Scenario: HBsAg result older than 28 days before screening
    Given a 60-year-old man screened on 2026-03-02
    And his HBsAg is negative 2 months before screening
    When he is screened for NCT07333573
    Then criterion EXC-09a is needs-review because HBsAg is stale

  Scenario Outline: HCV RNA positive excludes
    Given a 60-year-old man screened on 2026-03-02
    And his HCV-RNA is <result>
    When he is screened for NCT07333573
    Then criterion EXC-09b is <verdict>

    Examples:
      | result       | verdict    |
      | detected     | ineligible |
      | not detected | eligible   |

  Scenario: HCV RNA not tested
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion EXC-09b is needs-review because HCV-RNA is missing

  Scenario Outline: HIV antibody positive excludes
    Given a 60-year-old man screened on 2026-03-02
    And his HIV antibody is <result>
    When he is screened for NCT07333573
    Then criterion EXC-09c is <verdict>

    Examples:
      | result   | verdict    |
      | positive | ineligible |
      | negative | eligible   |

  Scenario: HIV antibody not tested
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion EXC-09c is needs-review because HIV antibody is missing

  # ---------------------------------------------------------------------- EXC-11 gastrointestinal bleeding
  Scenario Outline: Gastrointestinal bleeding in the month before screening
    Given a 60-year-old man screened on 2026-03-02
    And he had gastrointestinal bleeding from 2026-01-20 to <resolved>
    And his condition history is complete
    When he is screened for NCT07333573
    Then criterion EXC-11b is <verdict>
    And criterion EXC-11a is eligible

    Examples:
      | resolved   | verdict    |
      | 2026-02-02 | eligible   |
      | 2026-02-03 | ineligible |

  Scenario: Active gastrointestinal bleeding excludes on both counts
    Given a 60-year-old man screened on 2026-03-02
    And he has gastrointestinal bleeding since 2026-02-25
    When he is screened for NCT07333573
    Then criterion EXC-11a is ineligible
    And criterion EXC-11b is ineligible

  Scenario: A peptic ulcer in the past month goes to the investigator as a possible bleed
    Given a 60-year-old man screened on 2026-03-02
    And he has peptic ulcer disease since 2026-02-20
    And his condition history is complete
    When he is screened for NCT07333573
    Then criterion EXC-11a is needs-review because peptic ulcer bled is a judgement

  Scenario: A bleeding peptic ulcer excludes
    Given a 60-year-old man screened on 2026-03-02
    And he has gastric ulcer since 2026-02-20
    And his condition history is complete
    And the investigator answers "yes" for EXC-11a
    When he is screened for NCT07333573
    Then criterion EXC-11a is ineligible

  Scenario: Resolved gastrointestinal bleeding without a complete history
    Given a 60-year-old man screened on 2026-03-02
    And he had gastrointestinal bleeding from 2025-06-01 to 2025-06-10
    When he is screened for NCT07333573
    Then criterion EXC-11b is needs-review because gastrointestinal bleeding is missing

  # ------------------------------------------------------------------------ EXC-12, EXC-13, EXC-19
  Scenario: A psychiatric disorder goes to the investigator for its effect on compliance
    Given a 60-year-old man screened on 2026-03-02
    And he has psychological or psychiatric disorder
    When he is screened for NCT07333573
    Then criterion EXC-12b is needs-review because compromise compliance is a judgement

  Scenario: Investigator judges the psychiatric disorder may compromise compliance
    Given a 60-year-old man screened on 2026-03-02
    And he has psychological or psychiatric disorder
    And the investigator answers "yes" for EXC-12b
    When he is screened for NCT07333573
    Then criterion EXC-12b is ineligible

  Scenario: Past drug abuse excludes even when resolved
    Given a 60-year-old man screened on 2026-03-02
    And he had drug abuse from 2001-01-01 to 2005-12-31
    When he is screened for NCT07333573
    Then criterion EXC-12a is ineligible

  Scenario: Unstable conditions and suitability for cell therapy need the investigator
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion EXC-13 is needs-review because unstable condition is a judgement
    And criterion EXC-19 is needs-review because unsuitable for cell therapy is a judgement

  Scenario: Investigator finds the patient unsuitable for cell therapy
    Given a 60-year-old man screened on 2026-03-02
    And the investigator answers "yes" for EXC-19
    And the investigator answers "no" for EXC-13
    When he is screened for NCT07333573
    Then criterion EXC-19 is ineligible
    And criterion EXC-13 is eligible

  # ---------------------------------------------------------------------- EXC-15 adoptive T-cell therapy
  Scenario Outline: Any prior adoptive T-cell therapy excludes, however long ago
    Given a 60-year-old man screened on 2026-03-02
    And he received <product> <years> years before screening
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-15 is ineligible

    Examples:
      | product                   | years |
      | tisagenlecleucel          | 6     |
      | lifileucel                | 2     |
      | afamitresgene autoleucel  | 1     |

  Scenario: No adoptive T-cell therapy in a complete history
    Given a 60-year-old man screened on 2026-03-02
    And he received oxaliplatin 2 months before screening
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-15 is eligible

  Scenario: Prior adoptive T-cell therapy cannot be ruled out without a therapy history
    Given a 60-year-old man screened on 2026-03-02
    And his therapy history is not recorded
    When he is screened for NCT07333573
    Then criterion EXC-15 is needs-review because adoptive T-cell therapy is missing

  # ---------------------------------------------------------------------- EXC-16 anticoagulants
  Scenario Outline: Current anticoagulant or antiplatelet therapy excludes
    Given a 60-year-old man screened on 2026-03-02
    And he is receiving <drug>
    When he is screened for NCT07333573
    Then criterion EXC-16 is ineligible
    And the explanation of EXC-16 mentions "<drug>"

    Examples:
      | drug        |
      | warfarin    |
      | enoxaparin  |
      | rivaroxaban |
      | aspirin     |
      | clopidogrel |

  Scenario: Aspirin stopped before screening does not exclude
    Given a 60-year-old man screened on 2026-03-02
    And he received aspirin 100 mg/day orally until 3 days before screening
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-16 is eligible

  Scenario: Current anticoagulation cannot be ruled out without a therapy history
    Given a 60-year-old man screened on 2026-03-02
    And his therapy history is not recorded
    When he is screened for NCT07333573
    Then criterion EXC-16 is needs-review because anticoagulant is missing

  # ---------------------------------------------------------------------- EXC-17 surgery and trauma
  Scenario Outline: Major surgery within 4 weeks before enrollment
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received gastrectomy <days> days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-17a is <verdict>

    Examples:
      | days | verdict    |
      | 27   | ineligible |
      | 28   | eligible   |

  Scenario: A minor procedure is not major surgery
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received port placement 7 days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-17a is eligible

  Scenario: An operation the vocabulary does not class as major or minor needs review
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received appendectomy 7 days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-17a is needs-review because major surgery is ambiguous
    And the explanation of EXC-17a mentions "appendectomy"

  Scenario: A liver transplant 17 days before enrollment is major surgery
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received liver transplant 17 days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-17a is ineligible

  Scenario: A procedure recorded only as surgery needs review
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received medical procedure as surgical procedure 10 days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-17a is needs-review because major surgery is ambiguous

  Scenario: A coronary revascularisation that may have been a bypass operation is not passed
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received medical procedure as coronary artery bypass graft or stent 10 days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-17a is needs-review because bypass operation is a judgement

  Scenario: A coronary revascularisation judged a bypass operation excludes
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received medical procedure as coronary artery bypass graft or stent 10 days before enrollment
    And his therapy history is complete
    And the investigator answers "yes" for EXC-17a
    When he is screened for NCT07333573
    Then criterion EXC-17a is ineligible

  Scenario: A coronary artery bypass graft is major surgery
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he received CABG 10 days before enrollment
    And his therapy history is complete
    When he is screened for NCT07333573
    Then criterion EXC-17a is ineligible

  Scenario: Surgery history not recorded
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And his therapy history is not recorded
    When he is screened for NCT07333573
    Then criterion EXC-17a is needs-review because major surgery is missing

  Scenario Outline: Significant trauma within 4 weeks before enrollment
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    And he had significant trauma from 2026-02-01 to <resolved>
    And his condition history is complete
    When he is screened for NCT07333573
    Then criterion EXC-17b is <verdict>

    Examples:
      | resolved   | verdict    |
      | 2026-02-09 | eligible   |
      | 2026-02-10 | ineligible |

  Scenario: Trauma history not recorded
    Given a 60-year-old man screened on 2026-03-02
    And his enrollment is planned for 2026-03-09
    When he is screened for NCT07333573
    Then criterion EXC-17b is needs-review because significant trauma is missing

  # ---------------------------------------------------------------------- EXC-18 other malignancy
  Scenario Outline: Another malignancy within the past 3 years
    Given a 60-year-old man screened on 2026-03-02
    And he had breast cancer from 2021-06-01 to <resolved>
    And his condition history is complete
    When he is screened for NCT07333573
    Then criterion EXC-18 is <verdict>

    Examples:
      | resolved   | verdict    |
      | 2023-03-02 | eligible   |
      | 2023-03-03 | ineligible |

  Scenario: Another malignancy not recorded either way
    Given a 60-year-old man screened on 2026-03-02
    When he is screened for NCT07333573
    Then criterion EXC-18 is needs-review because malignant neoplasm is missing

  Scenario Outline: B-cell ALL or prostate cancer in 2024 is another malignancy
    Given a 60-year-old man screened on 2026-03-02
    And he has stage IV gastric cancer
    And he had <cancer> from 2024-01-15 to 2024-08-30
    And his condition history is complete
    When he is screened for NCT07333573
    Then criterion EXC-18 is ineligible
    And the explanation of EXC-18 mentions "within 3 years before screening: yes (recorded as <cancer>"

    Examples:
      | cancer          |
      | B-ALL           |
      | prostate cancer |

  Scenario: The gastric cancer under study is not another malignancy
    Given a 60-year-old man screened on 2026-03-02
    And he has stage IV gastric cancer
    And he has liver metastasis
    And his condition history is complete
    When he is screened for NCT07333573
    Then criterion EXC-18 is eligible

  Scenario: A malignancy recorded without its type needs review
    Given a 60-year-old man screened on 2026-03-02
    And he had another malignancy from 2024-01-15 to 2024-08-30
    And his condition history is complete
    When he is screened for NCT07333573
    Then criterion EXC-18 is needs-review because malignant neoplasm is ambiguous

  # ---------------------------------------------------------------------- overall
  Scenario: A complete eligible patient
    Given the patient in "features/patients/NCT07333573-eligible.yaml"
    When she is screened for NCT07333573 on 2026-03-04
    Then the overall verdict is eligible

  Scenario: A complete ineligible patient
    Given the patient in "features/patients/NCT07333573-ineligible.yaml"
    When he is screened for NCT07333573 on 2026-03-04
    Then the overall verdict is ineligible
    And criterion INC-03b is ineligible
    And criterion INC-08j is ineligible
    And criterion EXC-16 is ineligible
    And criterion INC-01 is eligible

  Scenario: The eligible patient on aspirin is ineligible overall
    Given the patient in "features/patients/NCT07333573-eligible.yaml"
    And she is receiving aspirin
    When she is screened for NCT07333573 on 2026-03-04
    Then criterion EXC-16 is ineligible
    And the overall verdict is ineligible
