"""simulator/slack_payloads.py: the stand-in reads parameters as slack_sdk sends them and checks
Slack's block limits."""

from simulator.slack_payloads import bad_blocks, decode_params, file_bytes


def test_params_from_a_form_json_values_decoded_and_from_json():
    form = decode_params(
        b"channel=C1&blocks=%5B%5D&text=hi", "application/x-www-form-urlencoded", "x=1"
    )
    assert form == {"x": "1", "channel": "C1", "blocks": [], "text": "hi"}
    assert decode_params(b'{"a": 1}', "application/json", "") == {"a": 1}
    assert decode_params(b"blocks=nope", "", "")["blocks"] == "nope"


def test_block_limits_and_upload_bytes():
    assert not bad_blocks(None, 50) and not bad_blocks(
        [{"type": "section", "text": {"text": "x"}}], 50
    )
    assert bad_blocks([{"type": "header", "text": {"text": "h" * 151}}], 50)
    assert bad_blocks([{}] * 51, 50) and bad_blocks("x", 50)
    assert file_bytes(b"raw", "text/csv") == b"raw"
