from helpers import findings, summary

RULE = "no-system-of-record"


def test_customer_data_without_record_is_one_stack_wide_finding(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: a, name: A, data: [contact]}
          - {id: b, name: B, data: [content]}
    """, RULE)
    assert summary(found) == [(RULE, ())]
    assert (found[0].location.file, found[0].location.line, found[0].location.column) == ("stack.yaml", 1, 1)
    assert found[0].message == (
        "1 system stores customer data but no active system has the role 'system-of-record'; "
        "mark the customer master (CRM or CDP)"
    )


def test_only_retired_record_is_named(tmp_path):
    found = findings(tmp_path, """
        systems:
          - {id: a, name: A, data: [contact]}
          - {id: old, name: Old, roles: [system-of-record], lifecycle: retired}
    """, RULE)
    assert found[0].message.endswith("(the only ones are retired: old)")


def test_no_customer_data_or_a_record_is_silent(tmp_path):
    assert findings(tmp_path, "systems:\n  - {id: a, name: A, data: [content]}\n", RULE) == []
    assert findings(tmp_path, "systems:\n  - {id: a, name: A, data: [contact], roles: [system-of-record]}\n",
                    RULE) == []
