Feature: Prescreening for NCT07310355 (68Ga/177Lu-PSMA-0057 in PSMA-positive mCRPC)
  Each scenario sets up only the data a criterion reads, and checks its verdict and why.
  Screening is on 2026-03-02 unless a scenario says otherwise.

  # ------------------------------------------------------------------------------------------- consent, sex, age
  Scenario: Informed consent needs the investigator
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-01 is needs-review because informed consent is a judgement

  Scenario: Informed consent attested
    Given a 70-year-old man screened on 2026-03-02
    And the investigator answers "yes" for INC-01
    When he is screened for NCT07310355
    Then criterion INC-01 is eligible

  Scenario: Consent attested for another trial does not answer this trial's question
    Given a 70-year-old man screened on 2026-03-02
    And the investigator answers "yes" for INC-01 of NCT07245251
    When he is screened for NCT07310355
    Then criterion INC-01 is needs-review because informed consent is a judgement

  Scenario: An attestation names its trial in any letter case
    Given a 70-year-old man screened on 2026-03-02
    And the investigator answers "yes" for INC-01 of nct07310355
    When he is screened for NCT07310355
    Then criterion INC-01 is eligible

  Scenario: Only men are eligible
    Given a 70-year-old woman screened on 2026-03-02
    When she is screened for NCT07310355
    Then criterion INC-02a is ineligible
    And the explanation of INC-02a mentions "sex is male: no (female)"

  Scenario: A man meets the sex criterion
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-02a is eligible

  Scenario: Sex not recorded
    Given a patient screened on 2026-03-02
    When the patient is screened for NCT07310355
    Then criterion INC-02a is needs-review because sex is missing

  Scenario Outline: Age 18 or over at screening
    Given a <age>-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-02b is <verdict>

    Examples:
      | age | verdict    |
      | 17  | ineligible |
      | 18  | eligible   |

  Scenario: Eighteenth birthday on the screening day
    Given a patient screened on 2026-03-02
    And he was born on 2008-03-02
    When he is screened for NCT07310355
    Then criterion INC-02b is eligible

  Scenario: No birth date
    Given a patient screened on 2026-03-02
    When the patient is screened for NCT07310355
    Then criterion INC-02b is needs-review because birth date is missing

  # ------------------------------------------------------------------------------------------- diagnosis and prior therapy
  Scenario: Confirmed prostate adenocarcinoma without neuroendocrine features
    Given a 70-year-old man screened on 2026-03-02
    And he has histologically or cytologically confirmed prostate cancer
    And he does not have neuroendocrine prostate cancer
    And he does not have small cell prostate cancer
    When he is screened for NCT07310355
    Then criterion INC-03a is eligible
    And criterion INC-03d is eligible

  Scenario: Neuroendocrine prostate cancer is not eligible
    Given a 70-year-old man screened on 2026-03-02
    And he has histologically or cytologically confirmed prostate cancer
    And he has neuroendocrine prostate cancer
    When he is screened for NCT07310355
    Then criterion INC-03a is eligible
    And criterion INC-03d is ineligible

  Scenario: Neuroendocrine histology not yet excluded
    Given a 70-year-old man screened on 2026-03-02
    And he has histologically or cytologically confirmed prostate cancer
    When he is screened for NCT07310355
    Then criterion INC-03d is needs-review because neuroendocrine prostate cancer is ambiguous
    And the explanation of INC-03d mentions "does not say whether it is neuroendocrine prostate cancer"

  Scenario: Castration-resistant prostate cancer in a complete history is neither neuroendocrine nor small cell
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion INC-03a is eligible
    And criterion INC-03d is eligible

  Scenario: Prostate cancer not recorded
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-03a is needs-review because prostate cancer is missing

  Scenario: Prior enzalutamide is a novel hormonal agent
    Given a 70-year-old man screened on 2026-03-02
    And he received enzalutamide 160 mg/day orally until 10 months before screening
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion INC-03b is eligible
    And the explanation of INC-03b mentions "enzalutamide"

  Scenario: Androgen deprivation alone is not a novel hormonal agent
    Given a 70-year-old man screened on 2026-03-02
    And he is receiving leuprolide
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion INC-03b is ineligible

  Scenario: Prior hormonal therapy not recorded
    Given a 70-year-old man screened on 2026-03-02
    And his therapy history is not recorded
    When he is screened for NCT07310355
    Then criterion INC-03b is needs-review because novel hormonal agent is missing

  Scenario: Prior docetaxel needs the investigator to confirm no more than two taxane regimens
    Given a 70-year-old man screened on 2026-03-02
    And he received docetaxel 6 months before screening
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion INC-03c is needs-review because no more than two taxane-based regimens is a judgement

  Scenario: Prior docetaxel with one or two regimens confirmed
    Given a 70-year-old man screened on 2026-03-02
    And he received docetaxel 6 months before screening
    And his therapy history is complete
    And the investigator answers "yes" for INC-03c
    When he is screened for NCT07310355
    Then criterion INC-03c is eligible

  Scenario: More than two taxane regimens
    Given a 70-year-old man screened on 2026-03-02
    And he received cabazitaxel 3 months before screening
    And his therapy history is complete
    And he does not have intolerance to taxanes
    And the investigator answers "no" for INC-03c
    When he is screened for NCT07310355
    Then criterion INC-03c is ineligible

  Scenario: Taxane intolerance replaces prior taxane therapy
    Given a 70-year-old man screened on 2026-03-02
    And he has intolerance to taxanes
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion INC-03c is eligible

  Scenario: Neither a taxane nor taxane intolerance
    Given a 70-year-old man screened on 2026-03-02
    And he received enzalutamide 160 mg/day orally until 10 months before screening
    And his therapy history is complete
    And he does not have intolerance to taxanes
    When he is screened for NCT07310355
    Then criterion INC-03c is ineligible

  # ------------------------------------------------------------------------------------------- castrate testosterone
  Scenario Outline: Castrate testosterone below 50 ng/dL or 1.7 nmol/L
    Given a 70-year-old man screened on 2026-03-02
    And testosterone <value> <unit>
    When he is screened for NCT07310355
    Then criterion INC-04 is <verdict>

    Examples:
      | value | unit  | verdict    |
      | 49    | ng/dL | eligible   |
      | 50    | ng/dL | ineligible |
      | 1.6   | nmol/L | eligible  |
      | 1.8   | nmol/L | ineligible |

  Scenario: 1.72 nmol/L is above the nmol/L limit but below 50 ng/dL
    Given a 70-year-old man screened on 2026-03-02
    And testosterone 1.72 nmol/L
    When he is screened for NCT07310355
    Then criterion INC-04 is eligible
    And the explanation of INC-04 mentions "testosterone < 1.7 nmol/L: no"
    And the explanation of INC-04 mentions "testosterone < 50 ng/dL: yes"

  Scenario: Testosterone not measured
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-04 is needs-review because testosterone is missing

  Scenario: Testosterone older than 28 days
    Given a 70-year-old man screened on 2026-03-02
    And testosterone 20 ng/dL 6 weeks before screening
    When he is screened for NCT07310355
    Then criterion INC-04 is needs-review because testosterone is stale

  # ------------------------------------------------------------------------------------------- progression
  Scenario: Two PSA rises at least a week apart from 3.1 ng/mL
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And PSA 3.1 ng/mL on 2025-12-01
    And PSA 4.2 ng/mL on 2026-01-05
    And PSA 6.0 ng/mL on 2026-02-09
    When he is screened for NCT07310355
    Then criterion INC-05 is eligible
    And the explanation of INC-05 mentions "PSA rose 3.1 → 4.2 → 6 ng/mL"

  Scenario: PSA rises years ago are not current progression while PSA is falling now
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And PSA 2.5 ng/mL on 2022-01-10
    And PSA 3.0 ng/mL on 2022-02-14
    And PSA 3.6 ng/mL on 2022-03-21
    And PSA 3.0 ng/mL on 2026-01-05
    And PSA 2.4 ng/mL on 2026-02-09
    And he does not have soft tissue progression per PCWG3 and RECIST v1.1
    And he does not have bone progression with ≥2 new lesions
    When he is screened for NCT07310355
    Then criterion INC-05 is ineligible
    And the explanation of INC-05 mentions "has PSA progression (two consecutive rises ≥1 week apart from ≥2.0 ng/mL): no"
    And the explanation of INC-05 mentions "PSA is falling now"

  Scenario: An extra PSA a few days after a rise does not hide a valid progression
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And PSA 2.5 ng/mL on 2025-12-01
    And PSA 3.0 ng/mL on 2026-01-05
    And PSA 3.1 ng/mL on 2026-01-08
    And PSA 3.6 ng/mL on 2026-02-09
    When he is screened for NCT07310355
    Then criterion INC-05 is eligible
    And the explanation of INC-05 mentions "has PSA progression (two consecutive rises ≥1 week apart from ≥2.0 ng/mL): yes"
    And the explanation of INC-05 mentions "PSA rose 2.5 → 3 → 3.6 ng/mL"

  Scenario: A fall between the reference and the rises breaks the progression
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And PSA 2.0 ng/mL on 2025-11-10
    And PSA 8.0 ng/mL on 2025-12-10
    And PSA 2.1 ng/mL on 2026-01-12
    And PSA 2.2 ng/mL on 2026-02-16
    And he does not have soft tissue progression per PCWG3 and RECIST v1.1
    And he does not have bone progression with ≥2 new lesions
    When he is screened for NCT07310355
    Then criterion INC-05 is ineligible
    And the explanation of INC-05 mentions "no two consecutive PSA rises"

  Scenario: Rises two years ago with no PSA since are not current progression
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And PSA 2.5 ng/mL on 2024-01-10
    And PSA 3.0 ng/mL on 2024-02-14
    And PSA 4.0 ng/mL on 2024-03-20
    When he is screened for NCT07310355
    Then criterion INC-05 is needs-review because PSA is stale

  Scenario: A lower repeat draw two days after the last rise needs a person
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And PSA 2.0 ng/mL on 2026-01-05
    And PSA 3.0 ng/mL on 2026-01-19
    And PSA 4.0 ng/mL on 2026-02-09
    And PSA 3.95 ng/mL on 2026-02-11
    When he is screened for NCT07310355
    Then criterion INC-05 is needs-review because PSA progression is ambiguous
    And the explanation of INC-05 mentions "a repeat draw"

  Scenario: PSA rises starting below 2.0 ng/mL are not PSA progression
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And PSA 1.5 ng/mL on 2025-12-01
    And PSA 1.8 ng/mL on 2026-01-05
    And PSA 2.4 ng/mL on 2026-02-09
    And he does not have soft tissue progression per PCWG3 and RECIST v1.1
    And he does not have bone progression with ≥2 new lesions
    When he is screened for NCT07310355
    Then criterion INC-05 is ineligible
    And the explanation of INC-05 mentions "no two consecutive PSA rises"

  Scenario: PSA rises less than a week apart are not PSA progression
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And PSA 3.0 ng/mL on 2026-02-01
    And PSA 3.5 ng/mL on 2026-02-05
    And PSA 4.0 ng/mL on 2026-02-09
    And he does not have soft tissue progression per PCWG3 and RECIST v1.1
    And he does not have bone progression with ≥2 new lesions
    When he is screened for NCT07310355
    Then criterion INC-05 is ineligible

  Scenario: Two PSA results cannot show two rises
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And PSA 3.0 ng/mL on 2026-01-05
    And PSA 4.0 ng/mL on 2026-02-09
    When he is screened for NCT07310355
    Then criterion INC-05 is needs-review because PSA progression is missing

  Scenario: Bone progression with two new lesions suffices without PSA data
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And he has bone progression with ≥2 new lesions
    When he is screened for NCT07310355
    Then criterion INC-05 is eligible

  Scenario: Soft tissue progression suffices without PSA data
    Given a 70-year-old man screened on 2026-03-02
    And he has mCRPC
    And he has soft tissue progression per PCWG3 and RECIST v1.1
    When he is screened for NCT07310355
    Then criterion INC-05 is eligible

  Scenario: Progression without documented mCRPC
    Given a 70-year-old man screened on 2026-03-02
    And he does not have mCRPC
    And he has soft tissue progression per PCWG3 and RECIST v1.1
    When he is screened for NCT07310355
    Then criterion INC-05 is ineligible

  # ------------------------------------------------------------------------------------------- PSMA imaging
  Scenario: 68Ga-PSMA-0057 PET positive 3 days before first dose
    Given a 70-year-old man screened on 2026-03-02
    And his first dose is planned for 2026-03-05
    And his 68Ga-PSMA-0057 PET is positive
    When he is screened for NCT07310355
    Then criterion INC-06 is eligible

  Scenario: 68Ga-PSMA-0057 PET 4 days before first dose is too old
    Given a 70-year-old man screened on 2026-03-02
    And his first dose is planned for 2026-03-05
    And his 68Ga-PSMA-0057 PET is positive 1 day before screening
    When he is screened for NCT07310355
    Then criterion INC-06 is needs-review because 68Ga-PSMA-0057 PET is stale

  Scenario: 68Ga-PSMA-0057 PET without a first-dose date
    Given a 70-year-old man screened on 2026-03-02
    And his 68Ga-PSMA-0057 PET is positive
    When he is screened for NCT07310355
    Then criterion INC-06 is needs-review because first dose date is missing

  Scenario: PSMA-negative on both tracers
    Given a 70-year-old man screened on 2026-03-02
    And his first dose is planned for 2026-03-05
    And his 68Ga-PSMA-0057 PET is negative
    And his PSMA PET with another tracer is negative 2 months before screening
    When he is screened for NCT07310355
    Then criterion INC-06 is ineligible

  Scenario: Another accepted PSMA tracer positive 5 months before first dose
    Given a 70-year-old man screened on 2026-03-02
    And his first dose is planned for 2026-03-05
    And his PSMA PET with another tracer is positive 5 months before screening
    And the investigator answers "yes" for INC-06
    When he is screened for NCT07310355
    Then criterion INC-06 is eligible

  Scenario: Another PSMA tracer positive but not yet accepted by the investigator
    Given a 70-year-old man screened on 2026-03-02
    And his first dose is planned for 2026-03-05
    And his PSMA PET with another tracer is positive 5 months before screening
    When he is screened for NCT07310355
    Then criterion INC-06 is needs-review because tracer used for this scan accepted is a judgement

  Scenario: Another PSMA tracer scan older than 6 months before first dose
    Given a 70-year-old man screened on 2026-03-02
    And his first dose is planned for 2026-03-05
    And his PSMA PET with another tracer is positive 7 months before screening
    And the investigator answers "yes" for INC-06
    When he is screened for NCT07310355
    Then criterion INC-06 is needs-review because PSMA PET with another tracer is stale

  Scenario: No PSMA imaging
    Given a 70-year-old man screened on 2026-03-02
    And his first dose is planned for 2026-03-05
    When he is screened for NCT07310355
    Then criterion INC-06 is needs-review because 68Ga-PSMA-0057 PET is missing

  # ------------------------------------------------------------------------------------------- lesions, life expectancy, ECOG
  Scenario: A bone metastasis without a measurable lesion
    Given a 70-year-old man screened on 2026-03-02
    And he does not have measurable lesion per RECIST v1.1
    And he has bone metastasis
    When he is screened for NCT07310355
    Then criterion INC-07 is eligible

  Scenario: Neither a measurable lesion nor a bone metastasis
    Given a 70-year-old man screened on 2026-03-02
    And he does not have measurable lesion per RECIST v1.1
    And he does not have bone metastasis
    When he is screened for NCT07310355
    Then criterion INC-07 is ineligible

  Scenario Outline: Life expectancy of at least 12 weeks
    Given a 70-year-old man screened on 2026-03-02
    And expected lifespan <value> <unit>
    When he is screened for NCT07310355
    Then criterion INC-08 is <verdict>

    Examples:
      | value | unit   | verdict    |
      | 12    | weeks  | eligible   |
      | 11    | weeks  | ineligible |
      | 3     | months | eligible   |
      | 2.5   | months | ineligible |

  Scenario: Life expectancy not estimated
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-08 is needs-review because expected lifespan is missing

  Scenario Outline: ECOG 0-1 at baseline
    Given a 70-year-old man screened on 2026-03-02
    And ECOG performance status <ecog>
    When he is screened for NCT07310355
    Then criterion INC-09 is <verdict>

    Examples:
      | ecog | verdict    |
      | 1    | eligible   |
      | 2    | ineligible |

  Scenario: ECOG not recorded
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-09 is needs-review because ECOG performance status is missing

  # ------------------------------------------------------------------------------------------- bone marrow
  Scenario Outline: Neutrophils at least 1.5 ×10^9/L
    Given a 70-year-old man screened on 2026-03-02
    And ANC <value> <unit>
    When he is screened for NCT07310355
    Then criterion INC-10a is <verdict>

    Examples:
      | value | unit     | verdict    |
      | 1.5   | ×10^9/L  | eligible   |
      | 1.4   | ×10^9/L  | ineligible |
      | 1500  | cells/µL | eligible   |
      | 1.49  | K/µL     | ineligible |

  Scenario: Neutrophils not measured
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-10a is needs-review because absolute neutrophil count is missing

  Scenario Outline: Platelets at least 100 ×10^9/L
    Given a 70-year-old man screened on 2026-03-02
    And platelets <value> <unit>
    When he is screened for NCT07310355
    Then criterion INC-10b is <verdict>

    Examples:
      | value | unit    | verdict    |
      | 100   | ×10^9/L | eligible   |
      | 99    | ×10^9/L | ineligible |
      | 100   | K/µL    | eligible   |
      | 99    | K/µL    | ineligible |

  Scenario: Platelets not measured
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-10b is needs-review because platelets is missing

  Scenario Outline: White cells at least 2.5 ×10^9/L
    Given a 70-year-old man screened on 2026-03-02
    And WBC <value> <unit>
    When he is screened for NCT07310355
    Then criterion INC-10c is <verdict>

    Examples:
      | value | unit    | verdict    |
      | 2.5   | ×10^9/L | eligible   |
      | 2.4   | ×10^9/L | ineligible |
      | 2500  | /mm3    | eligible   |
      | 2400  | /mm3    | ineligible |

  Scenario: White cells not measured
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-10c is needs-review because white blood cell count is missing

  Scenario Outline: Hemoglobin at least 9.0 g/dL
    Given a 70-year-old man screened on 2026-03-02
    And hemoglobin <value> <unit>
    When he is screened for NCT07310355
    Then criterion INC-10d is <verdict>

    Examples:
      | value | unit | verdict    |
      | 9.0   | g/dL | eligible   |
      | 8.9   | g/dL | ineligible |
      | 90    | g/L  | eligible   |
      | 89    | g/L  | ineligible |

  Scenario: Hemoglobin not measured
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-10d is needs-review because hemoglobin is missing

  Scenario Outline: No transfusion or growth factor within 14 days before screening
    Given a 70-year-old man screened on 2026-03-02
    And he received <product> <days> days before screening
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion INC-10e is <verdict>

    Examples:
      | product                    | days | verdict    |
      | red blood cell transfusion | 13   | ineligible |
      | red blood cell transfusion | 14   | eligible   |
      | filgrastim                 | 10   | ineligible |
      | filgrastim                 | 15   | eligible   |

  Scenario: Transfusion history not recorded
    Given a 70-year-old man screened on 2026-03-02
    And his therapy history is not recorded
    When he is screened for NCT07310355
    Then criterion INC-10e is needs-review because transfusion is missing

  # ------------------------------------------------------------------------------------------- liver
  Scenario Outline: Total bilirubin up to 1.5 × ULN
    Given a 70-year-old man screened on 2026-03-02
    And total bilirubin <value> <unit> with ULN <uln> <unit>
    And he does not have Gilbert's syndrome
    When he is screened for NCT07310355
    Then criterion INC-10f is <verdict>

    Examples:
      | value | unit   | uln | verdict    |
      | 1.8   | mg/dL  | 1.2 | eligible   |
      | 1.9   | mg/dL  | 1.2 | ineligible |
      | 31.5  | µmol/L | 21  | eligible   |
      | 32    | µmol/L | 21  | ineligible |

  Scenario: Gilbert's syndrome does not waive the bilirubin limit without a person's review
    Given a 70-year-old man screened on 2026-03-02
    And total bilirubin 9.6 mg/dL with ULN 1.2 mg/dL
    And he has Gilbert's syndrome
    When he is screened for NCT07310355
    Then criterion INC-10f is needs-review because Gilbert's syndrome is a judgement
    And the explanation of INC-10f mentions "total bilirubin ≤ 1.5 × ULN: no (9.6 mg/dL = 8 × ULN"
    And the explanation of INC-10f mentions "unconjugated (indirect) bilirubin only"

  Scenario: Bilirubin above 1.5 × ULN accepted by the investigator as Gilbert's syndrome
    Given a 70-year-old man screened on 2026-03-02
    And total bilirubin 2.4 mg/dL with ULN 1.2 mg/dL
    And he has Gilbert's syndrome
    And the investigator answers "yes" for INC-10f
    When he is screened for NCT07310355
    Then criterion INC-10f is eligible

  Scenario: Bilirubin above 1.5 × ULN not accepted by the investigator despite Gilbert's syndrome
    Given a 70-year-old man screened on 2026-03-02
    And total bilirubin 9.6 mg/dL with ULN 1.2 mg/dL
    And he has Gilbert's syndrome
    And the investigator answers "no" for INC-10f
    When he is screened for NCT07310355
    Then criterion INC-10f is ineligible

  Scenario: The investigator's answer on Gilbert's syndrome does not stand in for a current bilirubin
    Given a 70-year-old man screened on 2026-03-02
    And total bilirubin 2.4 mg/dL with ULN 1.2 mg/dL 40 days before screening
    And he has Gilbert's syndrome
    And the investigator answers "yes" for INC-10f
    When he is screened for NCT07310355
    Then criterion INC-10f is needs-review because total bilirubin is stale

  Scenario: Gilbert's syndrome with no bilirubin measured needs one, whatever the investigator's answer
    Given a 70-year-old man screened on 2026-03-02
    And he has Gilbert's syndrome
    And the investigator answers "yes" for INC-10f
    When he is screened for NCT07310355
    Then criterion INC-10f is needs-review because total bilirubin is missing

  Scenario: Gilbert's syndrome with bilirubin within 1.5 × ULN needs no review
    Given a 70-year-old man screened on 2026-03-02
    And total bilirubin 1.8 mg/dL with ULN 1.2 mg/dL
    And he has Gilbert's syndrome
    When he is screened for NCT07310355
    Then criterion INC-10f is eligible

  Scenario: Bilirubin above 1.5 × ULN with Gilbert's status unknown
    Given a 70-year-old man screened on 2026-03-02
    And total bilirubin 2.0 mg/dL with ULN 1.2 mg/dL
    When he is screened for NCT07310355
    Then criterion INC-10f is needs-review because Gilbert's syndrome is missing

  Scenario: Bilirubin without a reference range
    Given a 70-year-old man screened on 2026-03-02
    And total bilirubin 1.0 mg/dL
    And he does not have Gilbert's syndrome
    When he is screened for NCT07310355
    Then criterion INC-10f is needs-review because total bilirubin ULN is missing

  Scenario: Bilirubin not measured
    Given a 70-year-old man screened on 2026-03-02
    And he does not have Gilbert's syndrome
    When he is screened for NCT07310355
    Then criterion INC-10f is needs-review because total bilirubin is missing

  Scenario Outline: ALT 3 × ULN, or 5 × ULN with liver metastases
    Given a 70-year-old man screened on 2026-03-02
    And ALT <alt> U/L with ULN 40 U/L
    And he <liver> liver metastases
    When he is screened for NCT07310355
    Then criterion INC-10g is <verdict>

    Examples:
      | alt | liver            | verdict    |
      | 120 | does not have    | eligible   |
      | 121 | does not have    | ineligible |
      | 200 | has              | eligible   |
      | 201 | has              | ineligible |

  Scenario: ALT above 3 × ULN with liver metastasis status unknown
    Given a 70-year-old man screened on 2026-03-02
    And ALT 160 U/L with ULN 40 U/L
    When he is screened for NCT07310355
    Then criterion INC-10g is needs-review because liver metastasis is missing

  Scenario: ALT not measured
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-10g is needs-review because ALT is missing

  Scenario Outline: AST 3 × ULN, or 5 × ULN with liver metastases
    Given a 70-year-old man screened on 2026-03-02
    And AST <ast> U/L with ULN 40 U/L
    And he <liver> liver metastases
    When he is screened for NCT07310355
    Then criterion INC-10h is <verdict>

    Examples:
      | ast | liver            | verdict    |
      | 120 | does not have    | eligible   |
      | 121 | does not have    | ineligible |
      | 200 | has              | eligible   |
      | 201 | has              | ineligible |

  Scenario: AST not measured
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-10h is needs-review because AST is missing

  # ------------------------------------------------------------------------------------------- kidney
  Scenario Outline: Creatinine up to 1.5 × ULN
    Given a 70-year-old man screened on 2026-03-02
    And creatinine <value> <unit> with ULN <uln> <unit>
    When he is screened for NCT07310355
    Then criterion INC-10i is eligible

    Examples:
      | value | unit   | uln |
      | 1.5   | mg/dL  | 1.0 |
      | 159   | µmol/L | 106 |

  Scenario: Creatinine above 1.5 × ULN but MDRD eGFR at least 50
    Given a 70-year-old man screened on 2026-03-02
    And creatinine 1.3 mg/dL with ULN 0.8 mg/dL
    And his race is Asian
    When he is screened for NCT07310355
    Then criterion INC-10i is eligible
    And the explanation of INC-10i mentions "serum creatinine ≤ 1.5 × ULN: no"
    And the explanation of INC-10i mentions "eGFR (MDRD)"

  Scenario: Creatinine above 1.5 × ULN and MDRD eGFR below 50
    Given a 70-year-old man screened on 2026-03-02
    And creatinine 1.6 mg/dL with ULN 1.0 mg/dL
    And his race is White
    When he is screened for NCT07310355
    Then criterion INC-10i is ineligible
    And the explanation of INC-10i mentions "eGFR (MDRD) ≥ 50 mL/min/1.73 m²: no (42.95 mL/min/1.73 m²"

  Scenario: The MDRD race coefficient lifts eGFR to 50 or more
    Given a 70-year-old man screened on 2026-03-02
    And creatinine 1.6 mg/dL with ULN 1.0 mg/dL
    And his race is Black
    When he is screened for NCT07310355
    Then criterion INC-10i is eligible
    And the explanation of INC-10i mentions "eGFR (MDRD) ≥ 50 mL/min/1.73 m²: yes (52.05 mL/min/1.73 m²"

  Scenario: Race unknown and the two MDRD branches straddle 50
    Given a 70-year-old man screened on 2026-03-02
    And creatinine 1.6 mg/dL with ULN 1.0 mg/dL
    When he is screened for NCT07310355
    Then criterion INC-10i is needs-review because race is missing

  Scenario: Creatinine not measured
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-10i is needs-review because serum creatinine is missing

  # ------------------------------------------------------------------------------------------- albumin, toxicity, contraception
  Scenario Outline: Albumin at least 30 g/L
    Given a 70-year-old man screened on 2026-03-02
    And albumin <value> <unit>
    When he is screened for NCT07310355
    Then criterion INC-11 is <verdict>

    Examples:
      | value | unit | verdict    |
      | 30    | g/L  | eligible   |
      | 29    | g/L  | ineligible |
      | 3.0   | g/dL | eligible   |
      | 2.9   | g/dL | ineligible |

  Scenario: Albumin not measured
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-11 is needs-review because albumin is missing

  Scenario Outline: Prior-therapy toxicity recovered to grade 0-1
    Given a 70-year-old man screened on 2026-03-02
    And residual toxicity grade excluding alopecia <grade>
    When he is screened for NCT07310355
    Then criterion INC-12 is <verdict>

    Examples:
      | grade | verdict    |
      | 1     | eligible   |
      | 2     | ineligible |

  Scenario: Prior-therapy toxicity not assessed
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion INC-12 is needs-review because unresolved prior-therapy toxicity is missing

  Scenario: Contraception agreement for a man with reproductive potential needs the investigator
    Given a 70-year-old man screened on 2026-03-02
    And he has reproductive (childbearing) potential
    When he is screened for NCT07310355
    Then criterion INC-13 is needs-review because highly effective contraception is a judgement

  Scenario: Contraception agreement attested
    Given a 70-year-old man screened on 2026-03-02
    And he has reproductive (childbearing) potential
    And the investigator answers "yes" for INC-13
    When he is screened for NCT07310355
    Then criterion INC-13 is eligible

  Scenario: No reproductive potential, no contraception requirement
    Given a 70-year-old man screened on 2026-03-02
    And he does not have reproductive (childbearing) potential
    When he is screened for NCT07310355
    Then criterion INC-13 is eligible

  # ------------------------------------------------------------------------------------------- exclusions: allergy, prior radioligands
  Scenario: A serious allergic reaction at any time excludes
    Given a 70-year-old man screened on 2026-03-02
    And he had anaphylaxis from 2014-07-01 to 2014-07-02
    When he is screened for NCT07310355
    Then criterion EXC-01 is ineligible

  Scenario: Another allergy goes to the investigator
    Given a 70-year-old man screened on 2026-03-02
    And he has drug allergy
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-01 is needs-review because 68Ga-PSMA-0057 or 177Lu-PSMA-0057 is a judgement

  Scenario Outline: The investigator decides whether the allergy is one the protocol names
    Given a 70-year-old man screened on 2026-03-02
    And he has drug allergy
    And his condition history is complete
    And the investigator answers "<answer>" for EXC-01
    When he is screened for NCT07310355
    Then criterion EXC-01 is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | ineligible |
      | no     | eligible   |

  Scenario: No allergy history in a complete record
    Given a 70-year-old man screened on 2026-03-02
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-01 is eligible

  Scenario: Any prior PSMA radioligand therapy excludes, however long ago
    Given a 70-year-old man screened on 2026-03-02
    And he received lutetium Lu 177 vipivotide tetraxetan 2 years before screening
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-02a is ineligible

  Scenario: No prior PSMA radioligand therapy
    Given a 70-year-old man screened on 2026-03-02
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-02a is eligible

  Scenario: Radium-223 5 months before consent excludes until 6 months have passed
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received radium-223 dichloride 5 months before consent
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-02b is ineligible
    And the explanation of EXC-02b mentions "radium-223 dichloride"
    And criterion EXC-02b changes on 2026-03-27

  Scenario Outline: Radionuclides 6 months or more before consent do not exclude
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received <product> <months> months before consent
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-02b is eligible

    Examples:
      | product               | months |
      | radium-223 dichloride | 6      |
      | strontium-89 chloride | 8      |

  Scenario: Radionuclide window needs the consent date
    Given a 70-year-old man screened on 2026-03-02
    And he received radium-223 dichloride 5 months before screening
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-02b is needs-review because consent date is missing

  Scenario Outline: Hemibody radiation within 6 months before consent
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received hemibody irradiation <months> months before consent
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-02c is <verdict>

    Examples:
      | months | verdict    |
      | 5      | ineligible |
      | 6      | eligible   |

  # ------------------------------------------------------------------------------------------- investigational products, anticancer washout
  Scenario Outline: Investigational drug or device within 30 days before consent
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received <product> <days> days before consent
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-03 is <verdict>

    Examples:
      | product                         | days | verdict    |
      | investigational product         | 29   | ineligible |
      | investigational product         | 30   | eligible   |
      | investigational medical device  | 10   | ineligible |
      | investigational medical device  | 31   | eligible   |

  Scenario: Investigational drug window without a consent date
    Given a 70-year-old man screened on 2026-03-02
    And he received investigational product 20 days before screening
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-03 is needs-review because consent date is missing

  Scenario Outline: Docetaxel washout of 28 days before consent (5 half-lives are shorter)
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received docetaxel <days> days before consent
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-04a is <verdict>

    Examples:
      | days | verdict    |
      | 27   | ineligible |
      | 28   | eligible   |

  Scenario Outline: Enzalutamide washout of 5 half-lives (29 days) before consent is longer than 28 days
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received enzalutamide 160 mg/day orally until <days> days before consent
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-04a is <verdict>

    Examples:
      | days | verdict    |
      | 28   | ineligible |
      | 29   | eligible   |

  Scenario: Pembrolizumab 60 days before consent is within 5 half-lives
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received pembrolizumab 60 days before consent
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-04a is ineligible
    And the explanation of EXC-04a mentions "pembrolizumab"

  Scenario: Ongoing androgen deprivation therapy is not a washout concern
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he is receiving leuprolide
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-04a is eligible

  Scenario: Immunomodulatory drug with unknown half-life past 28 days needs review
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received thalidomide 35 days before consent
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-04a is needs-review because immunomodulatory drug is ambiguous
    And the explanation of EXC-04a mentions "half-life of thalidomide not known"

  Scenario: Anticancer therapy history not recorded
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And his therapy history is not recorded
    When he is screened for NCT07310355
    Then criterion EXC-04a is needs-review because anticancer therapy is missing

  Scenario Outline: Antitumor traditional Chinese medicine within 2 weeks before first dose
    Given a 70-year-old man screened on 2026-03-02
    And his first dose is planned for 2026-03-05
    And he received Huaier granule until <days> days before the first dose
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-04b is <verdict>

    Examples:
      | days | verdict    |
      | 13   | ineligible |
      | 14   | eligible   |

  Scenario: Antitumor Chinese medicine stopped 10 days before screening, first dose not yet planned
    Given a 70-year-old man screened on 2026-03-02
    And he received Kanglaite injection 10 days before screening
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-04b is needs-review because first dose date is missing

  # ------------------------------------------------------------------------------------------- other malignancy, surgery, CNS
  Scenario: Another malignancy within 5 years needs the investigator to judge the exemption
    Given a 70-year-old man screened on 2026-03-02
    And he had non-melanoma skin cancer from 2022-01-10 to 2022-06-30
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-05 is needs-review because curatively treated low-risk cancer is a judgement

  Scenario: Another malignancy within 5 years judged of the exempt kind
    Given a 70-year-old man screened on 2026-03-02
    And he had non-melanoma skin cancer from 2022-01-10 to 2022-06-30
    And his condition history is complete
    And the investigator answers "yes" for EXC-05
    When he is screened for NCT07310355
    Then criterion EXC-05 is eligible

  Scenario: Another malignancy within 5 years not of the exempt kind
    Given a 70-year-old man screened on 2026-03-02
    And he had bladder cancer from 2022-01-10 to 2022-06-30
    And his condition history is complete
    And the investigator answers "no" for EXC-05
    When he is screened for NCT07310355
    Then criterion EXC-05 is ineligible

  Scenario: Another malignancy cured more than 5 years before screening
    Given a 70-year-old man screened on 2026-03-02
    And he had bladder cancer from 2015-01-10 to 2021-03-01
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-05 is eligible

  Scenario Outline: Gastric cancer or B-cell ALL in the past 5 years is another malignancy
    Given a 70-year-old man screened on 2026-03-02
    And he has histologically or cytologically confirmed prostate cancer
    And he had <cancer> from 2023-02-01 to 2023-09-30
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-05 is needs-review because curatively treated low-risk cancer is a judgement
    And the explanation of EXC-05 mentions "within 5 years before screening: yes (recorded as <cancer>"

    Examples:
      | cancer         |
      | gastric cancer |
      | B-ALL          |

  Scenario: Gastric cancer in 2023 judged not of the exempt kind excludes
    Given a 70-year-old man screened on 2026-03-02
    And he had gastric cancer from 2023-02-01 to 2023-09-30
    And his condition history is complete
    And the investigator answers "no" for EXC-05
    When he is screened for NCT07310355
    Then criterion EXC-05 is ineligible

  Scenario: The prostate cancer under study is not another malignancy
    Given a 70-year-old man screened on 2026-03-02
    And he has histologically or cytologically confirmed prostate cancer
    And he has mCRPC
    And he has bone metastasis
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-05 is eligible

  Scenario: A malignancy recorded without its type needs review
    Given a 70-year-old man screened on 2026-03-02
    And he had malignant neoplasm from 2023-02-01 to 2023-09-30
    And his condition history is complete
    And the investigator answers "no" for EXC-05
    When he is screened for NCT07310355
    Then criterion EXC-05 is needs-review because malignant neoplasm is ambiguous
    And the explanation of EXC-05 mentions "other than metastasis or prostate cancer"

  Scenario Outline: Major surgery within 4 weeks before consent
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received radical prostatectomy <weeks> weeks before consent
    And his therapy history is complete
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-06 is <verdict>

    Examples:
      | weeks | verdict    |
      | 3     | ineligible |
      | 4     | eligible   |

  Scenario: Surgery not classed as major or minor within 4 weeks needs review
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received transurethral resection of the prostate 2 weeks before consent
    And his therapy history is complete
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-06 is needs-review because major surgery is ambiguous
    And the explanation of EXC-06 mentions "transurethral resection of the prostate"

  Scenario: Minor surgery within 4 weeks does not exclude
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received biopsy 2 weeks before consent
    And his therapy history is complete
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-06 is eligible

  Scenario: A solid organ transplant within 4 weeks is major surgery
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he received kidney transplant 17 days before consent
    And his therapy history is complete
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-06 is ineligible

  Scenario Outline: Significant traumatic injury within 4 weeks before consent
    Given a 70-year-old man screened on 2026-03-02
    And his consent was on 2026-02-27
    And he had significant trauma from <onset> to <resolved>
    And his therapy history is complete
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-06 is <verdict>

    Examples:
      | onset      | resolved   | verdict    |
      | 2026-02-10 | 2026-02-15 | ineligible |
      | 2026-01-01 | 2026-01-20 | eligible   |

  Scenario Outline: Active brain metastases within 1 month before screening
    Given a 70-year-old man screened on 2026-03-02
    And he had active brain metastases from 2025-11-01 to <resolved>
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-07 is <verdict>

    Examples:
      | resolved   | verdict    |
      | 2026-02-15 | ineligible |
      | 2026-01-15 | eligible   |

  Scenario: Active brain metastases now
    Given a 70-year-old man screened on 2026-03-02
    And he has active brain metastases since 2026-01-10
    When he is screened for NCT07310355
    Then criterion EXC-07 is ineligible

  Scenario: Brain metastases recorded without saying whether they are active need review
    Given a 70-year-old man screened on 2026-03-02
    And he has brain metastases
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-07 is needs-review because active brain metastasis is ambiguous

  Scenario: Treated, stable brain metastases do not exclude
    Given a 70-year-old man screened on 2026-03-02
    And he has treated, stable brain metastasis
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-07 is eligible

  Scenario: Leptomeningeal disease is active CNS involvement
    Given a 70-year-old man screened on 2026-03-02
    And he has leptomeningeal metastasis since 2026-02-01
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-07 is ineligible

  Scenario: Untreated brain metastases go to the investigator
    Given a 70-year-old man screened on 2026-03-02
    And he has untreated brain metastases since 2026-02-01
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-07 is needs-review because symptomatic is a judgement

  Scenario: Impending cord compression on imaging
    Given a 70-year-old man screened on 2026-03-02
    And he has findings suggestive of impending spinal cord compression
    When he is screened for NCT07310355
    Then criterion EXC-08 is ineligible

  Scenario: Cord compression status not recorded
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion EXC-08 is needs-review because spinal cord compression is missing

  # ------------------------------------------------------------------------------------------- cardiovascular
  Scenario Outline: Severe thromboembolic event within 6 months before screening
    Given a 70-year-old man screened on 2026-03-02
    And he had <event> from <onset> to <resolved>
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-09a is <verdict>

    Examples:
      | event                    | onset      | resolved   | verdict    |
      | deep vein thrombosis     | 2025-10-01 | 2025-11-01 | ineligible |
      | pulmonary embolism       | 2025-10-01 | 2025-11-01 | ineligible |
      | arterial thromboembolism | 2025-10-01 | 2025-11-01 | ineligible |
      | pulmonary embolism       | 2025-06-01 | 2025-09-02 | eligible   |

  Scenario: A deep vein thrombosis still present excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has DVT since 2026-02-10
    When he is screened for NCT07310355
    Then criterion EXC-09a is ineligible
    And the explanation of EXC-09a mentions "has thromboembolism within 6 months before screening: yes"

  Scenario: A stroke at any time excludes
    Given a 70-year-old man screened on 2026-03-02
    And he had stroke from 2012-05-01 to 2012-06-01
    When he is screened for NCT07310355
    Then criterion EXC-09b is ineligible

  Scenario: Uncontrolled hypertension excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has uncontrolled hypertension
    When he is screened for NCT07310355
    Then criterion EXC-09c is ineligible

  Scenario Outline: Decompensated heart failure NYHA III-IV
    Given a 70-year-old man screened on 2026-03-02
    And NYHA class <nyha>
    When he is screened for NCT07310355
    Then criterion EXC-09d is <verdict>

    Examples:
      | nyha | verdict    |
      | 2    | eligible   |
      | 3    | ineligible |
      | 4    | ineligible |

  Scenario: NYHA class not recorded
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion EXC-09d is needs-review because NYHA class is missing

  Scenario Outline: LVEF below 50% excludes
    Given a 70-year-old man screened on 2026-03-02
    And LVEF <lvef> %
    When he is screened for NCT07310355
    Then criterion EXC-09e is <verdict>

    Examples:
      | lvef | verdict    |
      | 49   | ineligible |
      | 50   | eligible   |

  Scenario: LVEF not measured
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion EXC-09e is needs-review because LVEF is missing

  Scenario: Echocardiogram older than 28 days
    Given a 70-year-old man screened on 2026-03-02
    And LVEF 60 % 2 months before screening
    When he is screened for NCT07310355
    Then criterion EXC-09e is needs-review because LVEF is stale

  Scenario: Unstable angina excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has unstable angina
    When he is screened for NCT07310355
    Then criterion EXC-09f is ineligible

  Scenario: Arrhythmia requiring intervention excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has severe arrhythmia requiring treatment
    When he is screened for NCT07310355
    Then criterion EXC-09g is ineligible

  # ------------------------------------------------------------------------------------------- infection, lung, bladder, autoimmune, transplant
  Scenario: Active tuberculosis excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has active tuberculosis
    When he is screened for NCT07310355
    Then criterion EXC-10 is ineligible

  Scenario: No infection in a complete record
    Given a 70-year-old man screened on 2026-03-02
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-10 is eligible

  Scenario Outline: An uncontrolled, severe or systemic infection excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has <infection>
    When he is screened for NCT07310355
    Then criterion EXC-10 is ineligible

    Examples:
      | infection                                                         |
      | uncontrolled infection                                            |
      | severe or persistent active infection                             |
      | sepsis                                                            |
      | systemic bacterial or fungal infection requiring systemic therapy |

  Scenario: Another infection goes to the investigator to judge whether it is significant
    Given a 70-year-old man screened on 2026-03-02
    And he has pneumonia
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-10 is needs-review because significant acute or chronic infection is a judgement

  Scenario: Chronic hepatitis B is left to the investigator here and to EXC-15d
    Given a 70-year-old man screened on 2026-03-02
    And he has chronic hepatitis B
    And his condition history is complete
    And the investigator answers "no" for EXC-10
    When he is screened for NCT07310355
    Then criterion EXC-10 is eligible

  Scenario: COPD goes to the investigator to judge whether it is clinically significant
    Given a 70-year-old man screened on 2026-03-02
    And he has COPD
    When he is screened for NCT07310355
    Then criterion EXC-11 is needs-review because clinically significant COPD is a judgement

  Scenario: COPD judged clinically significant excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has COPD
    And the investigator answers "yes" for EXC-11
    When he is screened for NCT07310355
    Then criterion EXC-11 is ineligible

  Scenario: No respiratory disease in a complete record
    Given a 70-year-old man screened on 2026-03-02
    And his first dose is planned for 2026-03-05
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-11 is eligible

  Scenario Outline: Chronic respiratory disease needing systemic therapy within 6 months before first dose
    Given a 70-year-old man screened on 2026-03-02
    And his first dose is planned for 2026-03-05
    And he had asthma from 2025-07-01 to <resolved>
    And his condition history is complete
    And the investigator answers "yes" for EXC-11
    When he is screened for NCT07310355
    Then criterion EXC-11 is <verdict>

    Examples:
      | resolved   | verdict    |
      | 2025-10-01 | ineligible |
      | 2025-09-05 | eligible   |

  Scenario: Uncontrolled bladder outlet obstruction excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has uncontrolled bladder outlet obstruction or incontinence
    When he is screened for NCT07310355
    Then criterion EXC-12 is ineligible

  Scenario Outline: A specific autoimmune disease goes to the investigator
    Given a 70-year-old man screened on 2026-03-02
    And he had <disease> from 2015-01-01 to <resolved>
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-13a is needs-review because required systemic treatment within the past 2 years is a judgement

    Examples:
      | disease                      | resolved   |
      | rheumatoid arthritis         | 2025-06-01 |
      | systemic lupus erythematosus | 2020-03-01 |

  Scenario Outline: The investigator decides whether the autoimmune disease needed systemic treatment or may recur
    Given a 70-year-old man screened on 2026-03-02
    And he has psoriasis
    And his condition history is complete
    And the investigator answers "<answer>" for EXC-13a
    When he is screened for NCT07310355
    Then criterion EXC-13a is <verdict>

    Examples:
      | answer | verdict    |
      | yes    | ineligible |
      | no     | eligible   |

  Scenario: No autoimmune disease in a complete record
    Given a 70-year-old man screened on 2026-03-02
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-13a is eligible
    And criterion EXC-13b is eligible
    And criterion EXC-13c is eligible

  Scenario: Active peptic ulcer disease excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has active peptic ulcer
    When he is screened for NCT07310355
    Then criterion EXC-13b is ineligible

  Scenario: Gastrointestinal bleeding goes to the investigator as a possible bleeding ulcer
    Given a 70-year-old man screened on 2026-03-02
    And he has gastrointestinal bleeding
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-13b is needs-review because peptic ulcer disease is a judgement

  Scenario: Gastrointestinal bleeding from a peptic ulcer excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has gastrointestinal bleeding
    And his condition history is complete
    And the investigator answers "yes" for EXC-13b
    When he is screened for NCT07310355
    Then criterion EXC-13b is ineligible

  Scenario Outline: A bleeding disorder excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has <disorder>
    When he is screened for NCT07310355
    Then criterion EXC-13c is ineligible

    Examples:
      | disorder                                |
      | bleeding disorder                       |
      | disseminated intravascular coagulation |

  Scenario: Kidney transplant recipient is excluded
    Given a 70-year-old man screened on 2026-03-02
    And he received kidney transplant 10 years before screening
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-14 is ineligible

  Scenario: Allogeneic stem cell transplant recipient is excluded
    Given a 70-year-old man screened on 2026-03-02
    And he received allogeneic stem cell transplant 4 years before screening
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-14 is ineligible

  Scenario: Corneal transplant without immunosuppressants may be included
    Given a 70-year-old man screened on 2026-03-02
    And he received penetrating keratoplasty 5 years before screening
    And his therapy history is complete
    And his condition history is complete
    When he is screened for NCT07310355
    Then criterion EXC-14 is eligible

  Scenario: A transplant recorded as a condition excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has kidney transplant status
    When he is screened for NCT07310355
    Then criterion EXC-14 is ineligible

  Scenario: A history of organ transplantation recorded without the organ goes to the investigator
    Given a 70-year-old man screened on 2026-03-02
    And he has history of organ transplantation
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-14 is needs-review because solid organ or allogeneic haematopoietic stem cell transplant is a judgement

  Scenario: A history of organ transplantation judged a solid organ transplant excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has history of organ transplantation
    And his therapy history is complete
    And the investigator answers "yes" for EXC-14
    When he is screened for NCT07310355
    Then criterion EXC-14 is ineligible

  Scenario: Transplant history not recorded
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion EXC-14 is needs-review because solid organ transplantation is missing

  Scenario: Corneal transplant still needing immunosuppressants is excluded
    Given a 70-year-old man screened on 2026-03-02
    And he received penetrating keratoplasty 5 years before screening
    And he is receiving tacrolimus 4 mg/day
    And his therapy history is complete
    When he is screened for NCT07310355
    Then criterion EXC-14 is ineligible

  # ------------------------------------------------------------------------------------------- serologies
  Scenario: Syphilis excludes
    Given a 70-year-old man screened on 2026-03-02
    And he has syphilis
    When he is screened for NCT07310355
    Then criterion EXC-15a is ineligible

  Scenario Outline: HIV antibody
    Given a 70-year-old man screened on 2026-03-02
    And his HIV antibody is <result>
    When he is screened for NCT07310355
    Then criterion EXC-15b is <verdict>

    Examples:
      | result   | verdict    |
      | positive | ineligible |
      | negative | eligible   |

  Scenario: HIV test not done
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion EXC-15b is needs-review because HIV antibody is missing

  Scenario Outline: HCV antibody with HCV RNA
    Given a 70-year-old man screened on 2026-03-02
    And his HCV antibody is <antibody>
    And his HCV-RNA is <rna>
    When he is screened for NCT07310355
    Then criterion EXC-15c is <verdict>

    Examples:
      | antibody | rna          | verdict    |
      | positive | detected     | ineligible |
      | positive | not detected | eligible   |
      | negative | detected     | eligible   |

  Scenario: HCV antibody positive without an HCV RNA result
    Given a 70-year-old man screened on 2026-03-02
    And his HCV antibody is positive
    When he is screened for NCT07310355
    Then criterion EXC-15c is needs-review because HCV-RNA is missing

  Scenario: HCV antibody negative needs no RNA test
    Given a 70-year-old man screened on 2026-03-02
    And his HCV antibody is negative
    When he is screened for NCT07310355
    Then criterion EXC-15c is eligible

  Scenario Outline: HBsAg positive with HBV DNA at or above the ULN
    Given a 70-year-old man screened on 2026-03-02
    And his HBsAg is positive
    And HBV DNA level <dna> IU/mL with ULN 20 IU/mL
    When he is screened for NCT07310355
    Then criterion EXC-15d is <verdict>

    Examples:
      | dna | verdict    |
      | 19  | eligible   |
      | 20  | ineligible |
      | 500 | ineligible |

  Scenario: HBsAg negative needs no HBV DNA
    Given a 70-year-old man screened on 2026-03-02
    And his HBsAg is negative
    When he is screened for NCT07310355
    Then criterion EXC-15d is eligible

  Scenario: HBsAg positive without an HBV DNA level
    Given a 70-year-old man screened on 2026-03-02
    And his HBsAg is positive
    When he is screened for NCT07310355
    Then criterion EXC-15d is needs-review because HBV DNA level is missing

  Scenario: HBsAg result older than 28 days
    Given a 70-year-old man screened on 2026-03-02
    And his HBsAg is negative 2 months before screening
    When he is screened for NCT07310355
    Then criterion EXC-15d is needs-review because HBsAg is stale

  # ------------------------------------------------------------------------------------------- imaging and investigator judgement
  Scenario: A contraindication to PET-CT found by the investigator excludes
    Given a 70-year-old man screened on 2026-03-02
    And the investigator answers "yes" for EXC-16
    When he is screened for NCT07310355
    Then criterion EXC-16 is ineligible

  Scenario: Imaging contraindications and factors need the investigator
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion EXC-16 is needs-review because adequate PET-CT or SPECT-CT image acquisition is a judgement

  Scenario: Compliance concerns need the investigator
    Given a 70-year-old man screened on 2026-03-02
    When he is screened for NCT07310355
    Then criterion EXC-17 is needs-review because compliance or study participation is a judgement

  # ------------------------------------------------------------------------------------------- whole patients
  Scenario: A complete eligible patient
    Given the patient in "features/patients/NCT07310355-eligible.yaml"
    When he is screened for NCT07310355 on 2026-03-04
    Then the overall verdict is eligible

  Scenario: The eligible patient on enzalutamide until 3 weeks before consent is ineligible
    Given the patient in "features/patients/NCT07310355-ineligible.yaml"
    When he is screened for NCT07310355 on 2026-03-04
    Then criterion EXC-04a is ineligible
    And criterion INC-10b is ineligible
    And the overall verdict is ineligible

  Scenario: The eligible patient with LVEF 45% is ineligible overall
    Given the patient in "features/patients/NCT07310355-eligible.yaml"
    And LVEF 45 % on 2026-03-01
    When he is screened for NCT07310355 on 2026-03-04
    Then criterion EXC-09e is ineligible
    And the overall verdict is ineligible

  Scenario: An LVEF of 45% after the screening date is newer than the screening echo: a person decides
    Given the patient in "features/patients/NCT07310355-eligible.yaml"
    And LVEF 45 % on 2026-03-03
    When he is screened for NCT07310355 on 2026-03-04
    Then criterion EXC-09e is needs-review because LVEF is ambiguous
    And the explanation of EXC-09e mentions "45% dated 2026-03-03"

  Scenario: The eligible patient with a new testosterone of 55 ng/dL is not castrate
    Given the patient in "features/patients/NCT07310355-eligible.yaml"
    And testosterone 55 ng/dL on 2026-03-01
    When he is screened for NCT07310355 on 2026-03-04
    Then criterion INC-04 is ineligible
    And the overall verdict is ineligible
