"""FHIR R4 input: a Bundle (transaction, collection, searchset, batch or document) -> :class:`~engine.patient.Patient`.

    from engine.fhir import patient_from_bundle
    patient = patient_from_bundle(json.load(open("bundle.json")), source="bundle.json")

What maps and how (resource types, statuses, units, the default ULN table, site extensions of the mapping
tables) is described in ``docs/fhir.md``. Condition, medication, procedure and vaccine codes are the clinical
vocabulary's (``engine/data/vocabulary``); the observation tables are ``engine/data/fhir_map.yaml`` and
``engine/data/default_uln.yaml``. Codes neither knows are listed in ``Patient.unmapped``, never dropped;
tolerated defects, skipped records and codes mapped through a class code or by text are listed in
``Patient.warnings``.
"""

from .maps import ENV_VAR, FhirMap, load_fhir_map
from .reader import patient_from_bundle

__all__ = ["ENV_VAR", "FhirMap", "load_fhir_map", "patient_from_bundle"]
