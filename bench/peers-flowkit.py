"""FlowKit's gating of the Gating-ML that `lsc flow compartments` writes
(DIR/gates.xml), on the same FCS files: the peer of bench/peers-flow.sh. Prints
one line per sample and gate (file, gate id, count) in lsc's compartment order,
so the counts can be set beside compartments.tsv. Not part of the tests.

    PYTHONPATH=/path/with/flowkit /usr/bin/python3 bench/peers-flowkit.py gates.xml FILE.fcs ...
"""
import io
import os
import re
import sys

import flowkit as fk


def main():
    xml = open(sys.argv[1]).read()
    # lsc writes schema-valid ids (CD34+ becomes CD34_pos) and keeps its own
    # population name in each gate's custom_info <lsc-name>; name them back.
    back = {}
    for m in re.finditer(r'gating:id="([^"]*)"[^>]*>\s*(?:<data-type:custom_info><lsc-name>([^<]*)</lsc-name>)?', xml):
        back[m.group(1)] = m.group(2) or m.group(1)
    gs = fk.parse_gating_xml(io.BytesIO(xml.encode()))
    for path in sys.argv[2:]:
        res = gs.gate_sample(fk.Sample(path))
        rep = res.report
        for _, r in rep.iterrows():
            print("%s\t%s\t%d" % (os.path.basename(path), back[r["gate_name"]], r["count"]))


if __name__ == "__main__":
    main()
