"""FHIR R4 input: a Bundle (transaction, collection, searchset, batch or document) -> :class:`~engine.patient.Patient`.

    from engine.fhir import patient_from_bundle
    patient = patient_from_bundle(json.load(open("bundle.json")), source="bundle.json")

What maps and how (resource types, statuses, units, the default ULN table, site extensions of the mapping
tables) is described in ``docs/fhir.md``; the tables themselves are ``engine/data/fhir_map.yaml`` and
``engine/data/default_uln.yaml``. Codes the tables do not know are listed in ``Patient.unmapped``, never
dropped; tolerated defects and skipped records are listed in ``Patient.warnings``.
"""

from .maps import ENV_VAR, FhirMap, load_fhir_map
from .reader import patient_from_bundle

__all__ = ["ENV_VAR", "FhirMap", "load_fhir_map", "patient_from_bundle"]
