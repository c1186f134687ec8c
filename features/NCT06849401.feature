Feature: Prescreening for NCT06849401 (VGO-Cs01p CD7 CAR-NK in children with relapsed/refractory CD7+ T-ALL)
  Each scenario sets up only the data a criterion reads, and checks its verdict and why.

  Scenario Outline: Age 2 to 18 in completed years at screening
    Given a <age>-year-old <who> screened on 2026-11-20
    When she is screened for NCT06849401
    Then criterion INC-01 is <verdict>

    Examples:
      | age | who  | verdict    |
      | 1   | girl | ineligible |
      | 2   | boy  | eligible   |
      | 18  | girl | eligible   |
      | 19  | boy  | ineligible |

  Scenario: A second birthday on the screening date itself
    Given a patient screened on 2026-11-20
    And she was born on 2024-11-20
    When she is screened for NCT06849401
    Then criterion INC-01 is eligible

  Scenario: One day short of 2 years
    Given a patient screened on 2026-11-20
    And she was born on 2024-11-21
    When she is screened for NCT06849401
    Then criterion INC-01 is ineligible

  Scenario: Eighteen years and eleven months is still 18
    Given a patient screened on 2026-11-20
    And he was born on 2007-12-20
    When he is screened for NCT06849401
    Then criterion INC-01 is eligible

  Scenario: ECOG 1 is enough without a Karnofsky score
    Given a 12-year-old boy screened on 2026-11-20
    And ECOG 1
    When he is screened for NCT06849401
    Then criterion INC-07 is eligible

  Scenario: ECOG 2 is not converted to Karnofsky: the Karnofsky score is needed
    Given a 12-year-old boy screened on 2026-11-20
    And ECOG 2
    When he is screened for NCT06849401
    Then criterion INC-07 is needs-review because Karnofsky performance status is missing
    And the explanation of INC-07 mentions "ECOG performance status within 28 days before screening ≤ 1: no (2 on"

  Scenario Outline: ECOG 2 with a Karnofsky score either side of 60
    Given a 12-year-old boy screened on 2026-11-20
    And ECOG 2
    And Karnofsky performance status <kps>
    When he is screened for NCT06849401
    Then criterion INC-07 is <verdict>

    Examples:
      | kps | verdict    |
      | 60  | ineligible |
      | 70  | eligible   |

  Scenario: Karnofsky above 60 is enough without an ECOG score
    Given a 12-year-old boy screened on 2026-11-20
    And Karnofsky performance status 70
    When he is screened for NCT06849401
    Then criterion INC-07 is eligible

  Scenario: Karnofsky 60 is not converted to ECOG: the ECOG score is needed
    Given a 12-year-old boy screened on 2026-11-20
    And Karnofsky performance status 60
    When he is screened for NCT06849401
    Then criterion INC-07 is needs-review because ECOG performance status is missing

  Scenario: An ECOG score older than the screening window
    Given a 12-year-old boy screened on 2026-11-20
    And ECOG 0 2 months before screening
    When he is screened for NCT06849401
    Then criterion INC-07 is needs-review because ECOG performance status is stale

  Scenario Outline: Relapse needs more than 25% blasts at relapse in marrow or blood
    Given a 10-year-old girl screened on 2026-11-20
    And she has relapse after complete remission
    And she does not have extramedullary disease at relapse
    And she does not have primary refractory disease after standard induction chemotherapy
    And bone marrow blasts at relapse <marrow> % 3 months before screening
    And peripheral blood blasts at relapse <blood> % 3 months before screening
    And the investigator answers "yes" for INC-03
    When she is screened for NCT06849401
    Then criterion INC-03 is <verdict>

    Examples:
      | marrow | blood | verdict    |
      | 25     | 12    | ineligible |
      | 26     | 12    | eligible   |
      | 20     | 30    | eligible   |

  Scenario: Extramedullary disease at relapse qualifies without the blast count
    Given a 10-year-old girl screened on 2026-11-20
    And she has relapse after complete remission
    And she has extramedullary disease at relapse
    And the investigator answers "yes" for INC-03
    When she is screened for NCT06849401
    Then criterion INC-03 is eligible

  Scenario: Marrow blasts of 25% at relapse, blood not counted: the blood count could still qualify
    Given a 10-year-old girl screened on 2026-11-20
    And she has relapse after complete remission
    And she does not have extramedullary disease at relapse
    And she does not have primary refractory disease after standard induction chemotherapy
    And bone marrow blasts at relapse 25 % 3 months before screening
    And the investigator answers "yes" for INC-03
    When she is screened for NCT06849401
    Then criterion INC-03 is needs-review because peripheral blood blasts at relapse is missing

  Scenario: A marrow of unknown context is not the marrow at relapse
    Given a 10-year-old girl screened on 2026-11-20
    And she has relapse after complete remission
    And she does not have extramedullary disease at relapse
    And she does not have primary refractory disease after standard induction chemotherapy
    And bone marrow blasts 40 %
    And the investigator answers "yes" for INC-03
    When she is screened for NCT06849401
    Then criterion INC-03 is needs-review because bone marrow blasts at relapse is missing

  Scenario: Relapse with high blasts still needs the investigator on other treatments
    Given a 10-year-old girl screened on 2026-11-20
    And she has relapse after complete remission
    And bone marrow blasts at relapse 60 % 3 months before screening
    When she is screened for NCT06849401
    Then criterion INC-03 is needs-review because other treatments is a judgement

  Scenario Outline: Primary refractory disease needs at least 5% marrow blasts after induction
    Given a 10-year-old girl screened on 2026-11-20
    And she does not have relapse after complete remission
    And she has primary refractory disease after standard induction chemotherapy
    And bone marrow blasts after 2 months of standard induction <blasts> % 4 months before screening
    And the investigator answers "yes" for INC-03
    When she is screened for NCT06849401
    Then criterion INC-03 is <verdict>

    Examples:
      | blasts | verdict    |
      | 4.9    | ineligible |
      | 5      | eligible   |

  Scenario: Neither relapsed nor refractory, whatever the investigator says
    Given a 10-year-old girl screened on 2026-11-20
    And she does not have relapse after complete remission
    And she does not have primary refractory disease after standard induction chemotherapy
    And the investigator answers "yes" for INC-03
    When she is screened for NCT06849401
    Then criterion INC-03 is ineligible
    And criterion INC-02 is ineligible

  Scenario: Relapsed T-ALL by the site's records
    Given a 10-year-old girl screened on 2026-11-20
    And she has T-cell acute lymphoblastic leukemia
    And she has relapse after complete remission
    When she is screened for NCT06849401
    Then criterion INC-02 is eligible

  Scenario Outline: Marrow blasts after one cycle of other treatment remain at least 5%
    Given a 10-year-old boy screened on 2026-11-20
    And bone marrow blasts after one cycle of other treatment <blasts> % 1 week before screening
    When he is screened for NCT06849401
    Then criterion INC-04 is <verdict>

    Examples:
      | blasts | verdict    |
      | 4      | ineligible |
      | 5      | eligible   |

  Scenario: The marrow after the other treatment must be recent
    Given a 10-year-old boy screened on 2026-11-20
    And bone marrow blasts after one cycle of other treatment 30 % 5 weeks before screening
    When he is screened for NCT06849401
    Then criterion INC-04 is needs-review because bone marrow blasts after one cycle of other treatment is stale

  Scenario: A marrow of unknown context does not show the blasts remained after other treatment
    Given a 10-year-old boy screened on 2026-11-20
    And bone marrow blasts 30 %
    When he is screened for NCT06849401
    Then criterion INC-04 is needs-review because bone marrow blasts after one cycle of other treatment is missing

  Scenario Outline: CD7-positive blasts above 80%
    Given a 10-year-old boy screened on 2026-11-20
    And CD7-positive blasts <cd7> %
    When he is screened for NCT06849401
    Then criterion INC-05 is <verdict>

    Examples:
      | cd7  | verdict    |
      | 80   | ineligible |
      | 80.5 | eligible   |

  Scenario: No immunophenotype
    Given a 10-year-old boy screened on 2026-11-20
    When he is screened for NCT06849401
    Then criterion INC-05 is needs-review because CD7-positive blasts is missing

  Scenario Outline: Estimated survival above 12 weeks, in weeks or months
    Given a 10-year-old boy screened on 2026-11-20
    And expected lifespan <value> <unit>
    When he is screened for NCT06849401
    Then criterion INC-06 is <verdict>

    Examples:
      | value | unit   | verdict    |
      | 12    | weeks  | ineligible |
      | 13    | weeks  | eligible   |
      | 3     | months | eligible   |

  Scenario Outline: LVEF at least 50%
    Given a 10-year-old boy screened on 2026-11-20
    And LVEF <lvef> %
    When he is screened for NCT06849401
    Then criterion INC-08 is <verdict>

    Examples:
      | lvef | verdict    |
      | 49   | ineligible |
      | 50   | eligible   |

  Scenario: SpO2 95% on room air is normal
    Given a 10-year-old boy screened on 2026-11-20
    And dyspnea CTCAE grade 1
    And SpO2 on room air 95 %
    When he is screened for NCT06849401
    Then criterion INC-09 is eligible

  Scenario: SpO2 below 95%: the protocol's "normal" is the investigator's call
    Given a 10-year-old boy screened on 2026-11-20
    And dyspnea CTCAE grade 0
    And SpO2 on room air 94 %
    When he is screened for NCT06849401
    Then criterion INC-09 is needs-review because oxygen saturation is a judgement

  Scenario Outline: SpO2 below 95% judged by the investigator
    Given a 10-year-old boy screened on 2026-11-20
    And dyspnea CTCAE grade 0
    And SpO2 on room air 93 %
    And the investigator answers "<answer>" for INC-09
    When he is screened for NCT06849401
    Then criterion INC-09 is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | eligible   |
      | no     | ineligible |

  Scenario: The investigator's answer does not replace a room-air SpO2 measurement
    Given a 10-year-old boy screened on 2026-11-20
    And dyspnea CTCAE grade 0
    And the investigator answers "yes" for INC-09
    When he is screened for NCT06849401
    Then criterion INC-09 is needs-review because SpO2 on room air is missing

  Scenario: Grade 2 dyspnea
    Given a 10-year-old boy screened on 2026-11-20
    And dyspnea CTCAE grade 2
    And SpO2 on room air 98 %
    When he is screened for NCT06849401
    Then criterion INC-09 is ineligible

  Scenario Outline: Creatinine at most 1.6 mg/dL within 1 week before enrollment
    Given a 10-year-old boy screened on 2026-11-20
    And his enrollment is planned for 2026-11-27
    And creatinine <value> <unit>
    When he is screened for NCT06849401
    Then criterion INC-10d is <verdict>

    Examples:
      | value | unit   | verdict    |
      | 1.6   | mg/dL  | eligible   |
      | 1.61  | mg/dL  | ineligible |
      | 141   | µmol/L | eligible   |
      | 142   | µmol/L | ineligible |

  Scenario: Creatinine 8 days before enrollment is too old
    Given a 10-year-old boy screened on 2026-11-20
    And his enrollment is planned for 2026-11-27
    And creatinine 0.5 mg/dL on 2026-11-19
    When he is screened for NCT06849401
    Then criterion INC-10d is needs-review because serum creatinine is stale

  Scenario: Creatinine exactly 7 days before enrollment is recent enough
    Given a 10-year-old boy screened on 2026-11-20
    And his enrollment is planned for 2026-11-27
    And creatinine 0.5 mg/dL on 2026-11-20
    When he is screened for NCT06849401
    Then criterion INC-10d is eligible

  Scenario: Without an enrollment date the week before it cannot be placed
    Given a 10-year-old boy screened on 2026-11-20
    And creatinine 0.5 mg/dL
    When he is screened for NCT06849401
    Then criterion INC-10d is needs-review because serum creatinine is missing
    And the explanation of INC-10d mentions "counts only if it is within 1 week before enrollment; the enrollment date is not yet given"

  Scenario Outline: Bilirubin at most 3 × ULN, AST and ALT at most 5 × ULN
    Given a 10-year-old boy screened on 2026-11-20
    And his enrollment is planned for 2026-11-27
    And total bilirubin <tbil> mg/dL with ULN 1.0 mg/dL
    And AST <ast> U/L with ULN 40 U/L
    And ALT <alt> U/L with ULN 40 U/L
    When he is screened for NCT06849401
    Then criterion INC-10a is <tbil_verdict>
    And criterion INC-10b is <ast_verdict>
    And criterion INC-10c is <alt_verdict>

    Examples:
      | tbil | ast | alt | tbil_verdict | ast_verdict | alt_verdict |
      | 3.0  | 200 | 200 | eligible     | eligible    | eligible    |
      | 3.1  | 204 | 201 | ineligible   | ineligible  | ineligible  |

  Scenario: Bilirubin without its reference range
    Given a 10-year-old boy screened on 2026-11-20
    And his enrollment is planned for 2026-11-27
    And total bilirubin 1.0 mg/dL
    When he is screened for NCT06849401
    Then criterion INC-10a is needs-review because total bilirubin ULN is missing

  Scenario Outline: Serum pregnancy test for a girl of childbearing potential
    Given a 15-year-old girl screened on 2026-11-20
    And she has reproductive (childbearing) potential
    And her serum pregnancy test is <result>
    When she is screened for NCT06849401
    Then criterion INC-11a is <verdict>

    Examples:
      | result   | verdict    |
      | negative | eligible   |
      | positive | ineligible |

  Scenario: A urine or unspecified pregnancy test is not a serum test
    Given a 15-year-old girl screened on 2026-11-20
    And she has reproductive (childbearing) potential
    And her pregnancy test is negative
    When she is screened for NCT06849401
    Then criterion INC-11a is needs-review because serum pregnancy test is missing

  Scenario: No pregnancy test for a girl without childbearing potential
    Given a 6-year-old girl screened on 2026-11-20
    And she does not have reproductive (childbearing) potential
    When she is screened for NCT06849401
    Then criterion INC-11a is eligible
    And criterion INC-11b is eligible

  Scenario: No pregnancy test for a boy
    Given a 15-year-old boy screened on 2026-11-20
    When he is screened for NCT06849401
    Then criterion INC-11a is eligible

  Scenario: Childbearing potential not recorded
    Given a 13-year-old girl screened on 2026-11-20
    When she is screened for NCT06849401
    Then criterion INC-11a is needs-review because childbearing potential is missing

  Scenario: Informed consent needs a person
    Given a 10-year-old boy screened on 2026-11-20
    When he is screened for NCT06849401
    Then criterion INC-12 is needs-review because informed consent form is a judgement

  Scenario: Testicular involvement at screening excludes
    Given a 14-year-old boy screened on 2026-11-20
    And he does not have active CNS leukemia
    And he has testicular leukemia involvement
    When he is screened for NCT06849401
    Then criterion EXC-01 is ineligible

  Scenario: CNS status unknown
    Given a 14-year-old boy screened on 2026-11-20
    And he does not have testicular leukemia involvement
    When he is screened for NCT06849401
    Then criterion EXC-01 is needs-review because CNS leukemia is missing

  Scenario Outline: NYHA class III or IV excludes
    Given a 14-year-old boy screened on 2026-11-20
    And NYHA class <nyha>
    When he is screened for NCT06849401
    Then criterion EXC-03 is <verdict>

    Examples:
      | nyha | verdict    |
      | 2    | eligible   |
      | 3    | ineligible |

  Scenario: Currently on an anticoagulant
    Given a 12-year-old girl screened on 2026-11-20
    And she is receiving enoxaparin
    And her therapy history is complete
    When she is screened for NCT06849401
    Then criterion EXC-07b is ineligible
    And the explanation of EXC-07b mentions "enoxaparin"

  Scenario: Aspirin that has been stopped is not current antiplatelet therapy
    Given a 12-year-old girl screened on 2026-11-20
    And she received aspirin 81 mg/day orally until 10 days before screening
    And her therapy history is complete
    When she is screened for NCT06849401
    Then criterion EXC-07b is eligible

  Scenario: No therapy history: anticoagulants cannot be ruled out
    Given a 12-year-old girl screened on 2026-11-20
    And her therapy history is not recorded
    When she is screened for NCT06849401
    Then criterion EXC-07b is needs-review because anticoagulant therapy is missing

  Scenario: Current systemic steroid asks whether long-term use will be needed
    Given a 12-year-old girl screened on 2026-11-20
    And she is receiving dexamethasone 6 mg/day
    And her therapy history is complete
    When she is screened for NCT06849401
    Then criterion EXC-08 is needs-review because long-term is a judgement

  Scenario Outline: Current systemic steroid and the investigator's view on long-term use
    Given a 12-year-old girl screened on 2026-11-20
    And she is receiving dexamethasone 6 mg/day
    And her therapy history is complete
    And the investigator answers "<answer>" for EXC-08
    When she is screened for NCT06849401
    Then criterion EXC-08 is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | ineligible |
      | no     | eligible   |

  Scenario: A current immunosuppressant other than a steroid counts too
    Given a 12-year-old girl screened on 2026-11-20
    And she is receiving tacrolimus 2 mg/day
    And her therapy history is complete
    And the investigator answers "yes" for EXC-08
    When she is screened for NCT06849401
    Then criterion EXC-08 is ineligible

  Scenario: A topical steroid is local use
    Given a 12-year-old girl screened on 2026-11-20
    And she received hydrocortisone 10 mg/day topically until 0 days before screening
    And her therapy history is complete
    When she is screened for NCT06849401
    Then criterion EXC-08 is eligible

  Scenario: No current steroid or immunosuppressant: the judgement is not needed
    Given a 12-year-old girl screened on 2026-11-20
    And her therapy history is complete
    When she is screened for NCT06849401
    Then criterion EXC-08 is eligible

  Scenario: Immunosuppressant stopped 13 days before enrollment excludes until the 2 weeks have passed
    Given a 12-year-old girl screened on 2026-11-20
    And her enrollment is planned for 2026-12-04
    And she received tacrolimus 2 mg/day orally until 13 days before enrollment
    And her therapy history is complete
    When she is screened for NCT06849401
    Then criterion EXC-14 is ineligible
    And criterion EXC-14 changes on 2026-12-05

  Scenario: Immunosuppressant stopped 2 weeks before enrollment
    Given a 12-year-old girl screened on 2026-11-20
    And her enrollment is planned for 2026-12-04
    And she received tacrolimus 2 mg/day orally until 14 days before enrollment
    And her therapy history is complete
    When she is screened for NCT06849401
    Then criterion EXC-14 is eligible

  Scenario: Immunosuppressant stopped recently and no enrollment date yet
    Given a 12-year-old girl screened on 2026-11-20
    And she received tacrolimus 2 mg/day orally until 3 days before screening
    And her therapy history is complete
    When she is screened for NCT06849401
    Then criterion EXC-14 is needs-review because enrollment date is missing
    And criterion EXC-14 changes on 2026-12-01

  Scenario Outline: A systemic steroid in the 2 weeks before enrollment asks whether it was immunosuppressive use
    Given a 12-year-old girl screened on 2026-11-20
    And her enrollment is planned for 2026-12-04
    And she received dexamethasone 6 mg/day orally until 5 days before enrollment
    And her therapy history is complete
    And the investigator answers "<answer>" for EXC-14
    When she is screened for NCT06849401
    Then criterion EXC-14 is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | ineligible |
      | no     | eligible   |

  Scenario: Prior CAR-T at any time excludes
    Given a 12-year-old boy screened on 2026-11-20
    And he received tisagenlecleucel 3 years before screening
    And his therapy history is complete
    When he is screened for NCT06849401
    Then criterion EXC-15 is ineligible

  Scenario: No therapy history: prior CAR-T or gene therapy cannot be ruled out
    Given a 12-year-old boy screened on 2026-11-20
    And his therapy history is not recorded
    When he is screened for NCT06849401
    Then criterion EXC-15 is needs-review because gene therapy is missing

  Scenario Outline: Vaccination within 4 weeks before screening
    Given a 12-year-old boy screened on 2026-11-20
    And he received inactivated influenza vaccine <weeks> weeks before screening
    And his therapy history is complete
    When he is screened for NCT06849401
    Then criterion EXC-17a is <verdict>

    Examples:
      | weeks | verdict    |
      | 3     | ineligible |
      | 4     | eligible   |

  Scenario: Surgery within 4 weeks before screening
    Given a 12-year-old boy screened on 2026-11-20
    And he received appendectomy 2 weeks before screening
    And his therapy history is complete
    When he is screened for NCT06849401
    Then criterion EXC-17b is ineligible

  Scenario: A procedure the vocabulary does not know could be surgery
    Given a 12-year-old boy screened on 2026-11-20
    And he received port-a-cath insertion 2 weeks before screening
    And his therapy history is complete
    When he is screened for NCT06849401
    Then criterion EXC-17b is needs-review because surgery is ambiguous

  Scenario: HBV-DNA detectable but below quantification excludes
    Given a 12-year-old boy screened on 2026-11-20
    And his HBV DNA (LOD) is detected
    When he is screened for NCT06849401
    Then criterion EXC-10a is ineligible
    And the explanation of EXC-10a mentions "HBV-DNA above the lower limit of detection"

  Scenario: HBV-DNA not detectable
    Given a 12-year-old boy screened on 2026-11-20
    And his HBV DNA (LOD) is not detected
    When he is screened for NCT06849401
    Then criterion EXC-10a is eligible

  Scenario: HBV-DNA below quantification does not show it undetectable
    Given a 12-year-old boy screened on 2026-11-20
    And his HBV DNA is not detected
    When he is screened for NCT06849401
    Then criterion EXC-10a is needs-review because HBV-DNA above the lower limit of detection is missing

  Scenario: HBV-DNA from more than 28 days before screening
    Given a 12-year-old boy screened on 2026-11-20
    And his HBV DNA (LOD) is not detected 5 weeks before screening
    When he is screened for NCT06849401
    Then criterion EXC-10a is needs-review because HBV-DNA above the lower limit of detection is stale

  Scenario: HCV-RNA detected excludes
    Given a 12-year-old boy screened on 2026-11-20
    And his HCV-RNA is detected
    When he is screened for NCT06849401
    Then criterion EXC-10b is ineligible

  Scenario: Another trial's answer to its own EXC-18 does not answer this trial's EXC-18
    Given a 12-year-old boy screened on 2026-11-20
    And the investigator answers "no" for EXC-18 of NCT07245251
    When he is screened for NCT06849401
    Then criterion EXC-18 is needs-review because increase the subject's risk is a judgement

  Scenario: A pregnant girl is excluded
    Given a 16-year-old girl screened on 2026-11-20
    And she has pregnancy
    When she is screened for NCT06849401
    Then criterion EXC-19 is ineligible

  Scenario: Pregnancy and breastfeeding do not apply to a boy
    Given a 16-year-old boy screened on 2026-11-20
    When he is screened for NCT06849401
    Then criterion EXC-19 is eligible

  Scenario: A complete eligible patient
    Given the patient in "features/patients/NCT06849401-eligible.yaml"
    When he is screened for NCT06849401 on 2026-11-24
    Then the overall verdict is eligible

  Scenario: The same patient with CD7 lost on a newer immunophenotype is ineligible overall
    Given the patient in "features/patients/NCT06849401-eligible.yaml"
    And CD7-positive blasts 75 % on 2026-11-17
    When he is screened for NCT06849401 on 2026-11-24
    Then criterion INC-05 is ineligible
    And the overall verdict is ineligible

  Scenario: Relapse after two or more complete remissions is relapse after complete remission
    Given a 10-year-old girl screened on 2026-11-20
    And she has T-cell acute lymphoblastic leukemia
    And she has relapse after ≥2 CR or CRi
    When she is screened for NCT06849401
    Then criterion INC-02 is eligible
    And the explanation of INC-02 mentions "has relapsed disease: yes"

  Scenario: Relapse after two or more complete remissions with more than 25% marrow blasts
    Given a 10-year-old girl screened on 2026-11-20
    And she has relapse after ≥2 CR or CRi
    And bone marrow blasts at relapse 40 % 3 months before screening
    And the investigator answers "yes" for INC-03
    When she is screened for NCT06849401
    Then criterion INC-03 is eligible

  Scenario Outline: A stroke or a psychiatric disorder at any time excludes
    Given a 12-year-old boy screened on 2026-11-20
    And he had <disease> from 2022-03-01 to 2022-06-01
    And his condition history is complete
    When he is screened for NCT06849401
    Then criterion EXC-02 is ineligible
    And the explanation of EXC-02 mentions "has <kind> ever: yes"

    Examples:
      | disease              | kind                 |
      | stroke               | stroke               |
      | ischemic stroke      | stroke               |
      | psychiatric disorder | psychiatric disorder |
      | schizophrenia        | psychiatric disorder |

  Scenario: Epilepsy asks whether the seizures are uncontrolled
    Given a 12-year-old boy screened on 2026-11-20
    And he has epilepsy
    And his condition history is complete
    When he is screened for NCT06849401
    Then criterion EXC-02 is needs-review because severe is a judgement
    And the explanation of EXC-02 mentions "has central nervous system disease ever: yes"

  Scenario Outline: The investigator decides whether epilepsy is a severe CNS disease
    Given a 12-year-old boy screened on 2026-11-20
    And he has epilepsy
    And his condition history is complete
    And the investigator answers "<answer>" for EXC-02
    When he is screened for NCT06849401
    Then criterion EXC-02 is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | ineligible |
      | no     | eligible   |

  Scenario: No CNS disease in a complete condition history
    Given a 12-year-old boy screened on 2026-11-20
    And his condition history is complete
    When he is screened for NCT06849401
    Then criterion EXC-02 is eligible

  Scenario Outline: An autoimmune disease asks whether it is severe
    Given a 14-year-old girl screened on 2026-11-20
    And she has <disease>
    And her condition history is complete
    When she is screened for NCT06849401
    Then criterion EXC-05 is needs-review because autoimmune disease severe is a judgement
    And the explanation of EXC-05 mentions "has autoimmune disease: yes"

    Examples:
      | disease              |
      | rheumatoid arthritis |
      | multiple sclerosis   |

  Scenario: A severe autoimmune disease excludes
    Given a 14-year-old girl screened on 2026-11-20
    And she has systemic lupus erythematosus
    And her condition history is complete
    And the investigator answers "yes" for EXC-05
    When she is screened for NCT06849401
    Then criterion EXC-05 is ineligible

  Scenario: An immune deficiency disease excludes
    Given a 14-year-old girl screened on 2026-11-20
    And she has immunodeficiency
    When she is screened for NCT06849401
    Then criterion EXC-05 is ineligible

  Scenario Outline: Active GVHD asks whether it requires systemic treatment
    Given a 14-year-old boy screened on 2026-11-20
    And he has <gvhd>
    And his condition history is complete
    When he is screened for NCT06849401
    Then criterion EXC-06 is needs-review because GVHD require systemic treatment is a judgement

    Examples:
      | gvhd         |
      | acute GVHD   |
      | chronic GVHD |

  Scenario: GVHD requiring systemic treatment excludes
    Given a 14-year-old boy screened on 2026-11-20
    And he has chronic GVHD
    And the investigator answers "yes" for EXC-06
    When he is screened for NCT06849401
    Then criterion EXC-06 is ineligible

  Scenario Outline: A gastrointestinal ulcer or bleeding excludes
    Given a 14-year-old boy screened on 2026-11-20
    And he has <finding>
    When he is screened for NCT06849401
    Then criterion EXC-07a is ineligible

    Examples:
      | finding                   |
      | gastrointestinal bleeding |
      | active peptic ulcer       |
      | duodenal ulcer            |

  Scenario: No gastrointestinal ulcer or bleeding in a complete condition history
    Given a 14-year-old boy screened on 2026-11-20
    And his condition history is complete
    When he is screened for NCT06849401
    Then criterion EXC-07a is eligible

  Scenario: Another malignancy within 3 years before enrollment excludes
    Given a 14-year-old boy screened on 2026-11-20
    And his enrollment is planned for 2026-11-27
    And he had Hodgkin lymphoma from 2024-05-01 to 2024-12-01
    And his condition history is complete
    When he is screened for NCT06849401
    Then criterion EXC-09 is ineligible
    And the explanation of EXC-09 mentions "within 3 years before enrollment: yes (recorded as Hodgkin lymphoma"

  Scenario: The T-ALL under study and its CNS involvement are not another malignancy
    Given a 14-year-old boy screened on 2026-11-20
    And his enrollment is planned for 2026-11-27
    And he has T-cell acute lymphoblastic leukemia
    And he had CNS leukemia from 2025-01-10 to 2025-03-01
    And his condition history is complete
    When he is screened for NCT06849401
    Then criterion EXC-09 is eligible

  Scenario: Active tuberculosis is a persistent active infection
    Given a 14-year-old boy screened on 2026-11-20
    And he has active tuberculosis
    And his condition history is complete
    When he is screened for NCT06849401
    Then criterion EXC-11 is ineligible
    And the explanation of EXC-11 mentions "has tuberculosis: yes"

  Scenario: Sepsis is a severe infection
    Given a 14-year-old boy screened on 2026-11-20
    And he has sepsis
    When he is screened for NCT06849401
    Then criterion EXC-11 is ineligible

  Scenario: Another active infection asks whether it is severe or persistent
    Given a 14-year-old boy screened on 2026-11-20
    And he has urinary tract infection
    And his condition history is complete
    When he is screened for NCT06849401
    Then criterion EXC-11 is needs-review because severe or persistent is a judgement

  Scenario: No active infection in a complete condition history
    Given a 14-year-old boy screened on 2026-11-20
    And his condition history is complete
    When he is screened for NCT06849401
    Then criterion EXC-11 is eligible

  Scenario: Earlier immunotherapy asks whether its adverse events have resolved
    Given a 14-year-old boy screened on 2026-11-20
    And he received blinatumomab 6 months before screening
    And his therapy history is complete
    When he is screened for NCT06849401
    Then criterion EXC-12 is needs-review because adverse event is a judgement

  Scenario: No immunotherapy or investigational product: no adverse event of one to resolve
    Given a 14-year-old boy screened on 2026-11-20
    And he received vincristine 6 months before screening
    And his therapy history is complete
    When he is screened for NCT06849401
    Then criterion EXC-12 is eligible

  Scenario: A TCR-T product at any time is gene therapy
    Given a 12-year-old boy screened on 2026-11-20
    And he received afamitresgene autoleucel 2 years before screening
    And his therapy history is complete
    When he is screened for NCT06849401
    Then criterion EXC-15 is ineligible
    And the explanation of EXC-15 mentions "afamitresgene autoleucel"

  Scenario: A record that says only adoptive T-cell therapy may or may not be gene therapy
    Given a 12-year-old boy screened on 2026-11-20
    And he received autologous T-cell infusion as adoptive T-cell therapy 2 years before screening
    And his therapy history is complete
    When he is screened for NCT06849401
    Then criterion EXC-15 is needs-review because CAR-T therapy is ambiguous

  Scenario: A laparotomy within 4 weeks before screening is surgery
    Given a 12-year-old boy screened on 2026-11-20
    And he received laparotomy 2 weeks before screening
    And his therapy history is complete
    When he is screened for NCT06849401
    Then criterion EXC-17b is ineligible
    And the explanation of EXC-17b mentions "laparotomy"

  Scenario: An operation recorded as major surgery within 4 weeks before screening
    Given a 12-year-old boy screened on 2026-11-20
    And he received Nissen fundoplication as major surgery 2 weeks before screening
    And his therapy history is complete
    When he is screened for NCT06849401
    Then criterion EXC-17b is ineligible
    And the explanation of EXC-17b mentions "Nissen fundoplication"

  Scenario: Surgery 5 weeks before screening
    Given a 12-year-old boy screened on 2026-11-20
    And he received laparotomy 5 weeks before screening
    And his therapy history is complete
    When he is screened for NCT06849401
    Then criterion EXC-17b is eligible
