"""vmkping runs: each command of a pasted session is a section whose command line gives the options."""

from bundles import FACTS, samples

SAMPLES = samples("nsx")
SLOTS = ("vmk", "netstack", "target", "size", "df", "sent", "received", "too_long", "outcome")


def test_message_too_long_and_the_small_ping_before_it(read):
    got = read(SAMPLES / "vmkping-too-long.txt")
    assert got.rows("vmkping-result", *SLOTS) == [
        (3, "vmk3", "vxlan", "192.0.2.32", 56, False, 3, 3, 0, "success"),
        (12, "vmk3", "vxlan", "192.0.2.32", 1572, True, 3, 0, 3, "message-too-long"),
    ]
    assert got.facts[1].text == "sendto() failed (Message too long)"
    assert got.hosts("vmkping-result") == {"esx-comp-01"}  # the prompt's: no host folder around it
    assert got.parsers() == [("vmkping ++netstack=vxlan -I vmk3 192.0.2.32", "nsx-vmkping", "parsed"),
                             ("vmkping ++netstack=vxlan -d -s 1572 -I vmk3 192.0.2.32", "nsx-vmkping", "parsed")]


def test_silent_loss_with_the_S_option_after_an_esxi5_prompt(read):
    got = read(SAMPLES / "vmkping-silent-loss.txt")
    assert got.rows("vmkping-result", "vmk", "netstack", "target", "size", "df", "loss_pct", "outcome") == [
        (5, "", "vxlan", "198.51.100.33", 1572, True, 100.0, "no-reply")]
    assert got.facts[0].text.startswith("3 packets transmitted, 0 packets received")


def test_output_without_command_has_no_netstack(read):
    got = read(SAMPLES / "vmkping-success-no-command.txt")
    assert got.rows("vmkping-result", "netstack", "size", "df", "received", "outcome") == [
        (2, "", 1572, None, 3, "success")]


def test_other_send_error(read):
    got = read("[root@esx-comp-09:~] vmkping ++netstack=vxlan -d -s 1572 -I vmk9 192.0.2.99\n"
               "PING 192.0.2.99 (192.0.2.99): 1572 data bytes\n"
               "sendto() failed (Host is down)\n\n--- 192.0.2.99 ping statistics ---\n"
               "3 packets transmitted, 0 packets received, 100% packet loss\n")
    assert got.rows("vmkping-result", "outcome", "error") == [(3, "send-error", "sendto() failed (Host is down)")]


def test_putty_log_with_crlf_banner_and_options_in_another_order(read):
    log = FACTS / "nsx/variants/nsx-mtu/putty-log-esxi55/esx-esx-comp-02.lab.example-2026-11-20--10.04-31002/putty.log"
    got = read(log)
    assert got.values("vmkping-result", "vmk", "netstack", "target", "size", "df", "outcome") == [
        ("vmk3", "vxlan", "198.51.100.33", 56, False, "success"),
        ("vmk3", "vxlan", "198.51.100.33", 1572, True, "no-reply")]
    assert ("", None, "skipped") in got.parsers()  # the PuTTY header and login banner: read by no parser


def test_runs_pasted_without_prompts_split_at_each_ping_line(read):
    text = "".join(line for line in (SAMPLES / "vmkping-too-long.txt").read_text().splitlines(True)
                   if "vmkping" not in line and "esx-comp-01:~]" not in line)
    got = read(text)
    assert got.values("vmkping-result", "size", "outcome") == [(56, "success"), (1572, "message-too-long")]
