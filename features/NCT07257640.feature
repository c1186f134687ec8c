Feature: Prescreening for NCT07257640 (IL-5 CAR-T in relapsed/refractory CD125+ eosinophilic leukemia)
  Each scenario sets up only the data a criterion reads, and checks its verdict and why.
  Labs and measurements count when dated within 28 days before screening.

  # ------------------------------------------------------------------------------ INC-01 age ≥ 18
  Scenario Outline: Age 18 or older on the screening date
    Given a <age>-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion INC-01 is <verdict>

    Examples:
      | age | verdict    |
      | 17  | ineligible |
      | 18  | eligible   |
      | 84  | eligible   |

  Scenario: Eighteenth birthday on the screening date itself
    Given a patient screened on 2026-11-20
    And she was born on 2008-11-20
    When she is screened for NCT07257640
    Then criterion INC-01 is eligible

  Scenario: Turning 18 the day after screening
    Given a patient screened on 2026-11-20
    And she was born on 2008-11-21
    When she is screened for NCT07257640
    Then criterion INC-01 is ineligible

  Scenario: No birth date recorded
    Given a patient screened on 2026-11-20
    When the patient is screened for NCT07257640
    Then criterion INC-01 is needs-review because birth date is missing

  # ------------------------------------------------------------------------------ INC-02 diagnosis
  Scenario: Eosinophilic leukemia diagnosed
    Given a 52-year-old man screened on 2026-11-20
    And he has chronic eosinophilic leukemia
    When he is screened for NCT07257640
    Then criterion INC-02 is eligible

  Scenario: Eosinophilic leukemia recorded absent
    Given a 52-year-old man screened on 2026-11-20
    And he does not have eosinophilic leukemia
    When he is screened for NCT07257640
    Then criterion INC-02 is ineligible

  Scenario: Diagnosis not recorded
    Given a 52-year-old man screened on 2026-11-20
    And his eosinophilic leukemia status is unknown
    When he is screened for NCT07257640
    Then criterion INC-02 is needs-review because eosinophilic leukemia is missing

  # ------------------------------------------------------------------------------ INC-03 CD125 ≥ 50%
  Scenario Outline: CD125 on at least half of the leukemic blasts
    Given a 52-year-old man screened on 2026-11-20
    And CD125 <pct> %
    When he is screened for NCT07257640
    Then criterion INC-03 is <verdict>
    And the explanation of INC-03 mentions "CD125 (IL-5Rα)-positive leukemic blasts ≥ 50%: <answer> (<pct>% on"

    Examples:
      | pct | verdict    | answer |
      | 49  | ineligible | no     |
      | 50  | eligible   | yes    |
      | 100 | eligible   | yes    |

  Scenario: CD125 result 28 days before screening is recent enough
    Given a 52-year-old man screened on 2026-11-20
    And CD125 80 % 28 days before screening
    When he is screened for NCT07257640
    Then criterion INC-03 is eligible

  Scenario: CD125 result 29 days before screening is too old
    Given a 52-year-old man screened on 2026-11-20
    And CD125 80 % 29 days before screening
    When he is screened for NCT07257640
    Then criterion INC-03 is needs-review because CD125 (IL-5Rα)-positive leukemic blasts is stale

  Scenario: No CD125 immunophenotype
    Given a 52-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion INC-03 is needs-review because CD125 (IL-5Rα)-positive leukemic blasts is missing

  # ------------------------------------------------------------------------------ INC-04 refractory / relapsed
  Scenario: Refractory to standard therapy (sub-item a)
    Given a 52-year-old man screened on 2026-11-20
    And he has failure to achieve complete remission after standard therapy
    And his relapse within 6 months after remission status is unknown
    When he is screened for NCT07257640
    Then criterion INC-04 is eligible

  Scenario: Relapse within 6 months of remission (sub-item b)
    Given a 52-year-old man screened on 2026-11-20
    And he does not have failure to achieve complete remission after standard therapy
    And he has relapse within 6 months after remission
    When he is screened for NCT07257640
    Then criterion INC-04 is eligible
    And the explanation of INC-04 mentions "progression or relapse within 6 months after achieving remission: yes"

  Scenario: Neither refractory nor an early relapse
    Given a 52-year-old man screened on 2026-11-20
    And he does not have failure to achieve complete remission after standard therapy
    And he does not have relapse within 6 months after remission
    When he is screened for NCT07257640
    Then criterion INC-04 is ineligible

  Scenario: Not refractory and early relapse not recorded
    Given a 52-year-old man screened on 2026-11-20
    And he does not have failure to achieve complete remission after standard therapy
    When he is screened for NCT07257640
    Then criterion INC-04 is needs-review because relapse within 6 months after achieving remission is missing

  # ------------------------------------------------------------------------------ INC-05 liver tests
  Scenario Outline: Total bilirubin up to 1.5 × ULN
    Given a 52-year-old man screened on 2026-11-20
    And total bilirubin <value> mg/dL with ULN 1.2 mg/dL
    When he is screened for NCT07257640
    Then criterion INC-05a is <verdict>
    And the explanation of INC-05a mentions "<ratio> × ULN"

    Examples:
      | value | ratio | verdict    |
      | 1.8   | 1.5   | eligible   |
      | 1.81  | 1.508 | ineligible |

  Scenario Outline: Total bilirubin in µmol/L against a ULN in mg/dL
    Given a 52-year-old man screened on 2026-11-20
    And total bilirubin <value> µmol/L with ULN 1.2 mg/dL
    When he is screened for NCT07257640
    Then criterion INC-05a is <verdict>
    And the explanation of INC-05a mentions "(<value> µmol/L = <ratio> × ULN of 1.2 mg/dL"

    Examples:
      | value | ratio | verdict    |
      | 30.7  | 1.496 | eligible   |
      | 30.8  | 1.501 | ineligible |

  Scenario: Gilbert's syndrome does not relax the bilirubin limit
    Given a 52-year-old man screened on 2026-11-20
    And total bilirubin 2.4 mg/dL with ULN 1.2 mg/dL
    And he has Gilbert's syndrome
    When he is screened for NCT07257640
    Then criterion INC-05a is ineligible

  Scenario: Bilirubin from two months ago is stale
    Given a 52-year-old man screened on 2026-11-20
    And total bilirubin 0.8 mg/dL with ULN 1.2 mg/dL 2 months before screening
    When he is screened for NCT07257640
    Then criterion INC-05a is needs-review because total bilirubin is stale

  Scenario: No bilirubin result
    Given a 52-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion INC-05a is needs-review because total bilirubin is missing

  Scenario Outline: ALT up to 3 × ULN
    Given a 52-year-old man screened on 2026-11-20
    And ALT <value> U/L with ULN 40 U/L
    When he is screened for NCT07257640
    Then criterion INC-05b is <verdict>

    Examples:
      | value | verdict    |
      | 120   | eligible   |
      | 121   | ineligible |

  Scenario: No ALT result
    Given a 52-year-old man screened on 2026-11-20
    And AST 30 U/L with ULN 40 U/L
    When he is screened for NCT07257640
    Then criterion INC-05b is needs-review because ALT is missing
    And criterion INC-05c is eligible

  Scenario Outline: AST up to 3 × ULN
    Given a 52-year-old man screened on 2026-11-20
    And AST <value> U/L with ULN 35 U/L
    When he is screened for NCT07257640
    Then criterion INC-05c is <verdict>

    Examples:
      | value | verdict    |
      | 105   | eligible   |
      | 106   | ineligible |

  Scenario: No AST result
    Given a 52-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion INC-05c is needs-review because AST is missing

  # ------------------------------------------------------------------------------ INC-06 LVEF > 50%
  Scenario Outline: LVEF must be above 50%
    Given a 52-year-old man screened on 2026-11-20
    And LVEF <lvef> %
    When he is screened for NCT07257640
    Then criterion INC-06 is <verdict>

    Examples:
      | lvef | verdict    |
      | 50   | ineligible |
      | 50.5 | eligible   |
      | 51   | eligible   |

  Scenario: Echocardiogram from six weeks ago is stale
    Given a 52-year-old man screened on 2026-11-20
    And LVEF 60 % 6 weeks before screening
    When he is screened for NCT07257640
    Then criterion INC-06 is needs-review because LVEF is stale

  Scenario: No echocardiogram
    Given a 52-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion INC-06 is needs-review because LVEF is missing

  # ------------------------------------------------------------------------------ INC-07 SpO2 ≥ 92%
  Scenario Outline: Room-air oxygen saturation of at least 92%
    Given a 52-year-old man screened on 2026-11-20
    And SpO2 on room air <spo2> %
    When he is screened for NCT07257640
    Then criterion INC-07 is <verdict>

    Examples:
      | spo2 | verdict    |
      | 91   | ineligible |
      | 92   | eligible   |

  Scenario: No room-air saturation recorded
    Given a 52-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion INC-07 is needs-review because SpO2 on room air is missing

  # ------------------------------------------------------------------------------ INC-08 life expectancy > 3 months
  Scenario Outline: Life expectancy of more than 3 months
    Given a 52-year-old man screened on 2026-11-20
    And expected lifespan <value> <unit>
    When he is screened for NCT07257640
    Then criterion INC-08 is <verdict>

    Examples:
      | value | unit   | verdict    |
      | 3     | months | ineligible |
      | 4     | months | eligible   |
      | 13    | weeks  | ineligible |
      | 14    | weeks  | eligible   |

  Scenario: Life expectancy in weeks is converted
    Given a 52-year-old man screened on 2026-11-20
    And expected lifespan 14 weeks
    When he is screened for NCT07257640
    Then the explanation of INC-08 mentions "expected lifespan > 3 months: yes (14 weeks = 3.22 months"

  Scenario: No life expectancy estimate
    Given a 52-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion INC-08 is needs-review because expected lifespan is missing

  # ------------------------------------------------------------------------------ INC-09 ECOG 0-1
  Scenario Outline: ECOG performance status 0 or 1
    Given a 52-year-old man screened on 2026-11-20
    And ECOG <ecog>
    When he is screened for NCT07257640
    Then criterion INC-09 is <verdict>

    Examples:
      | ecog | verdict    |
      | 0    | eligible   |
      | 1    | eligible   |
      | 2    | ineligible |

  Scenario: No ECOG score
    Given a 52-year-old man screened on 2026-11-20
    And Karnofsky performance status 90
    When he is screened for NCT07257640
    Then criterion INC-09 is needs-review because ECOG performance status is missing

  # ------------------------------------------------------------------------------ INC-10 contraception
  Scenario: A man of childbearing potential must agree to contraception
    Given a 52-year-old man screened on 2026-11-20
    And he has childbearing potential
    When he is screened for NCT07257640
    Then criterion INC-10 is needs-review because contraception is a judgement

  Scenario: Contraception agreed
    Given a 35-year-old woman screened on 2026-11-20
    And she has childbearing potential
    And the investigator answers "yes" for INC-10
    When she is screened for NCT07257640
    Then criterion INC-10 is eligible

  Scenario: Contraception refused
    Given a 35-year-old woman screened on 2026-11-20
    And she has childbearing potential
    And the investigator answers "no" for INC-10
    When she is screened for NCT07257640
    Then criterion INC-10 is ineligible

  Scenario: No childbearing potential: no contraception agreement needed
    Given a 68-year-old woman screened on 2026-11-20
    And she does not have childbearing potential
    When she is screened for NCT07257640
    Then criterion INC-10 is eligible

  # ------------------------------------------------------------------------------ INC-11 consent
  Scenario: Informed consent needs a person
    Given a 52-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion INC-11 is needs-review because informed consent is a judgement

  Scenario: Informed consent attested by the investigator
    Given a 52-year-old man screened on 2026-11-20
    And the investigator answers "yes" for INC-11
    When he is screened for NCT07257640
    Then criterion INC-11 is eligible

  # ------------------------------------------------------------------------------ EXC-01 epilepsy / CNS
  Scenario: Epilepsy at any time excludes
    Given a 52-year-old man screened on 2026-11-20
    And he has epilepsy since 2001-05-01
    When he is screened for NCT07257640
    Then criterion EXC-01 is ineligible
    And the explanation of EXC-01 mentions "has epilepsy ever: yes"

  Scenario: Another CNS disorder excludes
    Given a 52-year-old man screened on 2026-11-20
    And he does not have epilepsy
    And he has cerebellar disease
    When he is screened for NCT07257640
    Then criterion EXC-01 is ineligible

  Scenario: No epilepsy does not rule out other CNS disorders
    Given a 52-year-old man screened on 2026-11-20
    And he does not have epilepsy
    When he is screened for NCT07257640
    Then criterion EXC-01 is needs-review because central nervous system disease is missing

  Scenario: Neither epilepsy nor another CNS disorder
    Given a 52-year-old man screened on 2026-11-20
    And he does not have CNS disorder
    When he is screened for NCT07257640
    Then criterion EXC-01 is eligible

  Scenario: A complete condition history with no CNS disorder
    Given a 52-year-old man screened on 2026-11-20
    And his condition history is complete
    When he is screened for NCT07257640
    Then criterion EXC-01 is eligible

  Scenario Outline: Any central nervous system disease at any time excludes, not only epilepsy
    Given a 52-year-old man screened on 2026-11-20
    And he had <disease> from 2019-03-01 to 2019-09-01
    And his condition history is complete
    When he is screened for NCT07257640
    Then criterion EXC-01 is ineligible
    And the explanation of EXC-01 mentions "has central nervous system disease ever: yes"

    Examples:
      | disease                 |
      | stroke                  |
      | CNS leukemia            |
      | brain metastases        |
      | spinal cord compression |

  Scenario: A record of CNS disease itself excludes
    Given a 52-year-old man screened on 2026-11-20
    And he has CNS disease
    When he is screened for NCT07257640
    Then criterion EXC-01 is ineligible

  # ------------------------------------------------------------------------------ EXC-02 infection serology
  Scenario Outline: HBsAg
    Given a 52-year-old man screened on 2026-11-20
    And his HBsAg is <result>
    When he is screened for NCT07257640
    Then criterion EXC-02a is <verdict>

    Examples:
      | result   | verdict    |
      | positive | ineligible |
      | negative | eligible   |

  Scenario: HBsAg from 4 weeks before screening still counts
    Given a 52-year-old man screened on 2026-11-20
    And his HBsAg is negative 4 weeks before screening
    When he is screened for NCT07257640
    Then criterion EXC-02a is eligible

  Scenario: HBsAg from 5 weeks before screening is stale
    Given a 52-year-old man screened on 2026-11-20
    And his HBsAg is negative 5 weeks before screening
    When he is screened for NCT07257640
    Then criterion EXC-02a is needs-review because HBsAg is stale

  Scenario: No HBsAg result
    Given a 52-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion EXC-02a is needs-review because HBsAg is missing

  Scenario Outline: An HBV e or core marker with detectable HBV-DNA excludes
    Given a 52-year-old man screened on 2026-11-20
    And his <marker> is positive
    And his HBV DNA (LOD) is <dna>
    When he is screened for NCT07257640
    Then criterion EXC-02b is <verdict>

    Examples:
      | marker        | dna          | verdict    |
      | HBeAg         | detected     | ineligible |
      | HBe antibody  | detected     | ineligible |
      | HBc antibody  | detected     | ineligible |
      | HBc antibody  | not detected | eligible   |

  Scenario: Detectable HBV-DNA with all three markers negative does not exclude
    Given a 52-year-old man screened on 2026-11-20
    And his HBeAg is negative
    And his HBe antibody is negative
    And his HBc antibody is negative
    And his HBV DNA (LOD) is detected
    When he is screened for NCT07257640
    Then criterion EXC-02b is eligible

  Scenario: Core antibody positive and no HBV-DNA result
    Given a 52-year-old man screened on 2026-11-20
    And his HBc antibody is positive
    When he is screened for NCT07257640
    Then criterion EXC-02b is needs-review because HBV-DNA above the lower limit of detection is missing

  Scenario: HBV-DNA below the quantification limit does not show it is below the detection limit
    Given a 52-year-old man screened on 2026-11-20
    And his HBc antibody is positive
    And his HBV DNA is not detected
    When he is screened for NCT07257640
    Then criterion EXC-02b is needs-review because HBV-DNA above the lower limit of detection is missing

  Scenario: Undetectable HBV-DNA settles the HBV item without the markers
    Given a 52-year-old man screened on 2026-11-20
    And his HBV DNA (LOD) is not detected
    When he is screened for NCT07257640
    Then criterion EXC-02b is eligible

  Scenario Outline: HCV, HIV and syphilis serology
    Given a 52-year-old man screened on 2026-11-20
    And his <test> is <result>
    When he is screened for NCT07257640
    Then criterion <criterion> is <verdict>

    Examples:
      | test         | result   | criterion | verdict    |
      | HCV-Ab       | positive | EXC-02c   | ineligible |
      | HCV-Ab       | negative | EXC-02c   | eligible   |
      | HIV antibody | positive | EXC-02d   | ineligible |
      | HIV antibody | negative | EXC-02d   | eligible   |
      | TP-Ab        | positive | EXC-02e   | ineligible |
      | TP-Ab        | negative | EXC-02e   | eligible   |

  Scenario: No syphilis serology
    Given a 52-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion EXC-02e is needs-review because anti-Treponema pallidum antibody is missing
    And criterion EXC-02c is needs-review because HCV antibody is missing
    And criterion EXC-02d is needs-review because HIV antibody is missing

  # ------------------------------------------------------------------------------ EXC-03 QT / cardiac
  Scenario: History of QT prolongation excludes
    Given a 52-year-old man screened on 2026-11-20
    And he has QT prolongation since 2023-02-01
    When he is screened for NCT07257640
    Then criterion EXC-03 is ineligible

  Scenario: Severe cardiac disease excludes
    Given a 52-year-old man screened on 2026-11-20
    And he does not have QT prolongation
    And he has unstable angina
    When he is screened for NCT07257640
    Then criterion EXC-03 is ineligible

  Scenario: No QT prolongation but cardiac history not recorded
    Given a 52-year-old man screened on 2026-11-20
    And he does not have QT prolongation
    When he is screened for NCT07257640
    Then criterion EXC-03 is needs-review because cardiovascular disease is missing

  Scenario: Neither QT prolongation nor severe cardiac disease, and a normal QTc
    Given a 52-year-old man screened on 2026-11-20
    And he does not have QT prolongation
    And he does not have cardiac disease
    And QTc 420 ms
    When he is screened for NCT07257640
    Then criterion EXC-03 is eligible

  Scenario: A measured QTc of 530 ms is QT interval prolongation
    Given a 52-year-old man screened on 2026-11-20
    And he does not have QT prolongation
    And he does not have cardiac disease
    And QTc 530 ms
    When he is screened for NCT07257640
    Then criterion EXC-03 is ineligible
    And the explanation of EXC-03 mentions "highest reported QTc interval ever > 470 ms: yes (530 ms"

  Scenario Outline: QTc above 450 ms in a man or 470 ms in a woman is QT interval prolongation
    Given a 52-year-old <who> screened on 2026-11-20
    And <pronoun> does not have QT prolongation
    And <pronoun> does not have cardiac disease
    And QTc <qtc> ms
    When <pronoun> is screened for NCT07257640
    Then criterion EXC-03 is <verdict>

    Examples:
      | who   | pronoun | qtc | verdict    |
      | man   | he      | 450 | eligible   |
      | man   | he      | 451 | ineligible |
      | woman | she     | 451 | eligible   |
      | woman | she     | 470 | eligible   |
      | woman | she     | 471 | ineligible |

  Scenario: A QTc from years ago counts as history when it is the latest
    Given a 52-year-old man screened on 2026-11-20
    And he does not have QT prolongation
    And he does not have cardiac disease
    And QTc 500 ms on 2023-06-01
    When he is screened for NCT07257640
    Then criterion EXC-03 is ineligible

  Scenario: A normal ECG today does not hide a prolonged QTc last spring
    Given a 52-year-old woman screened on 2026-11-20
    And she does not have QT prolongation
    And she does not have cardiac disease
    And QTc 530 ms on 2026-05-10
    And QTc 420 ms on 2026-11-15
    When she is screened for NCT07257640
    Then criterion EXC-03 is ineligible
    And the explanation of EXC-03 mentions "highest reported QTc interval ever > 470 ms: yes (530 ms dated 2026-05-10"

  Scenario: QTc between the two limits with sex not recorded
    Given a patient screened on 2026-11-20
    And the patient does not have QT prolongation
    And the patient does not have cardiac disease
    And QTc 460 ms
    When the patient is screened for NCT07257640
    Then criterion EXC-03 is needs-review because sex is missing

  Scenario: QTc above both limits excludes whatever the sex
    Given a patient screened on 2026-11-20
    And the patient does not have QT prolongation
    And QTc 480 ms
    When the patient is screened for NCT07257640
    Then criterion EXC-03 is ineligible

  Scenario: No QTc recorded
    Given a 52-year-old man screened on 2026-11-20
    And he does not have QT prolongation
    And he does not have cardiac disease
    When he is screened for NCT07257640
    Then criterion EXC-03 is needs-review because reported QTc interval is missing

  Scenario Outline: A myocardial infarction, unstable angina or an arrhythmia needing treatment is severe cardiac disease
    Given a 52-year-old man screened on 2026-11-20
    And he had <disease> from 2021-04-01 to 2021-05-01
    And his condition history is complete
    And QTc 420 ms
    When he is screened for NCT07257640
    Then criterion EXC-03 is ineligible
    And the explanation of EXC-03 mentions "has <disease> ever: yes"

    Examples:
      | disease                               |
      | myocardial infarction                 |
      | unstable angina                       |
      | severe arrhythmia requiring treatment |

  Scenario: Another cardiac disease goes to the investigator to judge whether it is severe
    Given a 52-year-old man screened on 2026-11-20
    And he has heart failure
    And his condition history is complete
    And QTc 420 ms
    When he is screened for NCT07257640
    Then criterion EXC-03 is needs-review because severe cardiac disease is a judgement

  Scenario Outline: The investigator decides whether the cardiac disease is severe
    Given a 52-year-old man screened on 2026-11-20
    And he has heart failure
    And his condition history is complete
    And QTc 420 ms
    And the investigator answers "<answer>" for EXC-03
    When he is screened for NCT07257640
    Then criterion EXC-03 is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | ineligible |
      | no     | eligible   |

  # ------------------------------------------------------------------------------ EXC-04 infection
  Scenario: Uncontrolled active infection excludes
    Given a 52-year-old man screened on 2026-11-20
    And he has active infection
    And he has uncontrolled infection
    When he is screened for NCT07257640
    Then criterion EXC-04 is ineligible

  Scenario: An uncontrolled infection recorded on its own excludes, even in a complete condition history
    Given a 52-year-old man screened on 2026-11-20
    And he has uncontrolled active infection
    And his condition history is complete
    When he is screened for NCT07257640
    Then criterion EXC-04 is ineligible
    And the explanation of EXC-04 mentions "has uncontrolled infection: yes"

  Scenario: An active infection in a complete condition history does not pass without the investigator
    Given a 52-year-old man screened on 2026-11-20
    And he has active infection
    And his condition history is complete
    When he is screened for NCT07257640
    Then criterion EXC-04 is needs-review because uncontrolled is a judgement

  Scenario: Active infection whose control is not recorded
    Given a 52-year-old man screened on 2026-11-20
    And he has active infection
    When he is screened for NCT07257640
    Then criterion EXC-04 is needs-review because uncontrolled infection is ambiguous
    And criterion EXC-04 is needs-review because uncontrolled is a judgement

  Scenario Outline: The investigator decides whether an active infection is uncontrolled
    Given a 52-year-old man screened on 2026-11-20
    And he has active infection
    And he does not have uncontrolled infection
    And the investigator answers "<answer>" for EXC-04
    When he is screened for NCT07257640
    Then criterion EXC-04 is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | ineligible |
      | no     | eligible   |

  Scenario: The investigator's "no" does not settle an active infection whose control is not recorded
    Given a 52-year-old man screened on 2026-11-20
    And he has active infection
    And the investigator answers "no" for EXC-04
    When he is screened for NCT07257640
    Then criterion EXC-04 is needs-review because uncontrolled infection is ambiguous
    And the explanation of EXC-04 mentions "Is the patient's active infection uncontrolled? no (answered"

  Scenario: A recorded uncontrolled infection excludes whatever the investigator answers
    Given a 52-year-old man screened on 2026-11-20
    And he has active infection
    And he has uncontrolled infection
    And the investigator answers "no" for EXC-04
    When he is screened for NCT07257640
    Then criterion EXC-04 is ineligible
    And the explanation of EXC-04 mentions "has uncontrolled infection: yes"

  Scenario: No active infection and no uncontrolled one
    Given a 52-year-old man screened on 2026-11-20
    And he does not have active infection
    And he does not have uncontrolled infection
    When he is screened for NCT07257640
    Then criterion EXC-04 is eligible

  Scenario: No infection in a complete condition history
    Given a 52-year-old man screened on 2026-11-20
    And his condition history is complete
    When he is screened for NCT07257640
    Then criterion EXC-04 is eligible

  Scenario Outline: Active tuberculosis or a systemic infection in a complete history goes to the investigator
    Given a 52-year-old man screened on 2026-11-20
    And he has <infection>
    And his condition history is complete
    When he is screened for NCT07257640
    Then criterion EXC-04 is needs-review because uncontrolled is a judgement
    And the explanation of EXC-04 mentions "has infection: yes"

    Examples:
      | infection                              |
      | active tuberculosis                    |
      | systemic bacterial or fungal infection |
      | sepsis                                 |

  Scenario: Active tuberculosis judged uncontrolled excludes
    Given a 52-year-old man screened on 2026-11-20
    And he has active tuberculosis
    And his condition history is complete
    And the investigator answers "yes" for EXC-04
    When he is screened for NCT07257640
    Then criterion EXC-04 is ineligible

  Scenario: No active infection recorded also rules out an uncontrolled one
    Given a 52-year-old man screened on 2026-11-20
    And he does not have active infection
    When he is screened for NCT07257640
    Then criterion EXC-04 is eligible

  Scenario: Uncontrolled infection not recorded either way
    Given a 52-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion EXC-04 is needs-review because uncontrolled infection is missing

  # ------------------------------------------------------------------------------ EXC-05 investigator
  Scenario: Investigator's overall risk judgement is needed
    Given a 52-year-old man screened on 2026-11-20
    When he is screened for NCT07257640
    Then criterion EXC-05 is needs-review because opinion of the investigator is a judgement

  Scenario: Investigator sees a condition that increases the risk
    Given a 52-year-old man screened on 2026-11-20
    And the investigator answers "yes" for EXC-05
    When he is screened for NCT07257640
    Then criterion EXC-05 is ineligible

  # ------------------------------------------------------------------------------ overall
  Scenario: A complete eligible patient
    Given the patient in "features/patients/NCT07257640-eligible.yaml"
    When he is screened for NCT07257640 on 2026-11-23
    Then the overall verdict is eligible

  Scenario: A complete ineligible patient
    Given the patient in "features/patients/NCT07257640-ineligible.yaml"
    When she is screened for NCT07257640 on 2026-11-23
    Then criterion INC-03 is ineligible
    And criterion INC-04 is ineligible
    And criterion EXC-01 is ineligible
    And criterion EXC-02b is ineligible
    And criterion INC-05a is eligible
    And the overall verdict is ineligible

  Scenario: The eligible patient with LVEF of exactly 50% is ineligible overall
    Given the patient in "features/patients/NCT07257640-eligible.yaml"
    And LVEF 50 %
    When he is screened for NCT07257640 on 2026-11-23
    Then criterion INC-06 is ineligible
    And the overall verdict is ineligible

  Scenario: The eligible patient, core antibody positive, with detectable HBV-DNA is ineligible overall
    Given the patient in "features/patients/NCT07257640-eligible.yaml"
    And his HBV DNA (LOD) is detected
    When he is screened for NCT07257640 on 2026-11-23
    Then criterion EXC-02b is ineligible
    And the overall verdict is ineligible
