from dimos.core.access import ALL_STAFF, HEADS, Access

ACCESS = {
    "core:staff_home": Access(read=ALL_STAFF),
    "core:audit_log": Access(read=HEADS),
    "core-api:api_departments": Access(read=ALL_STAFF),
}
