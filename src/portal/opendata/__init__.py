"""Open data: the directory as an Open Referral HSDS data package (export and import) and as a
FHIR R4 Bundle (export). Domain code only: no web framework here."""
