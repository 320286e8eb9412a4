"""hakb.reading.text and read_records: console output as pasted from a terminal."""

from hakb.reading import read_records
from hakb.reading.text import read_columns


def numbered(lines):
    return list(enumerate(lines, 1))


def test_pager_noise_inside_a_row_is_taken_out_before_reading():
    lines = ["Name    PCI          MAC Address       MTU",
             "vmnic0  0000:02:00.0 00:50:56:0a:01:01 1500",
             "--More--",
             "\x1b[7m--More--\x1b[m vmnic1  0000:02:00.1 00:50:56:0a:01:02 1500",
             "\x1b[7m--More--\x1b[m" + "\x08" * 8 + " " * 8 + "\x08" * 8 +
             "vmnic2  0000:02:00.2 00:50:56:0a:01:03 1500"]
    records = list(read_records(numbered(lines)))
    assert [(r.get("Name"), r.get("MAC Address"), r.line("Name")) for r in records] == [
        ("vmnic0", "00:50:56:0a:01:01", 2), ("vmnic1", "00:50:56:0a:01:02", 4),
        ("vmnic2", "00:50:56:0a:01:03", 5)]


def test_df_columns_a_wide_number_pushed_out_of_line():
    # busybox prints %9s: a 13-digit number shifts the rest of its row
    lines = ["Filesystem          Bytes         Used    Available Use% Mounted on",
             "VMFS-5      1099243192320 1065567125504  33676066816  97% /vmfs/volumes/ds-old",
             "vfat           261853184    152960000    108893184  58% /vmfs/volumes/5a1b2c3d"]
    rows = [r.items() for r in read_columns(numbered(lines))]
    assert rows[0] == [("Filesystem", "VMFS-5"), ("Bytes", "1099243192320"), ("Used", "1065567125504"),
                       ("Available", "33676066816"), ("Use%", "97%"), ("Mounted on", "/vmfs/volumes/ds-old")]
    assert rows[1][4:] == [("Use%", "58%"), ("Mounted on", "/vmfs/volumes/5a1b2c3d")]


def test_size_wider_than_its_header_and_words_that_are_no_numbers_stay_together():
    lines = ["Filesystem   Size   Used Available Use% Mounted on",
             "VMFS-6     499.8G 496.1G      3.7G  99% /vmfs/volumes/datastore1",
             "VMFS-6    1023.8G 612.2G    411.6G  60% /vmfs/volumes/ds-prod-02"]
    assert [(r.get("Filesystem"), r.get("Size")) for r in read_columns(numbered(lines))] == [
        ("VMFS-6", "499.8G"), ("VMFS-6", "1023.8G")]
    # two words over two words, but not numbers: one column, as printed
    lines = ["Interface  Port Group          MTU",
             "vmk0       Management Network  1500",
             "vmk1       VM Network          9000"]
    assert [r.get("Port Group") for r in read_columns(numbered(lines))] == ["Management Network", "VM Network"]
