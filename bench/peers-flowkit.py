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


def ncname(gid):
    """lsc names gates CD34+, CD34+CD38-: not valid xs:ID values, so the
    Gating-ML 2.0 schema, which FlowKit validates against, refuses them.
    Renamed here (+ -> _pos, - -> _neg) and named back on output."""
    return gid.replace("+", "_pos").replace("-", "_neg")


def main():
    xml = open(sys.argv[1]).read()
    ids = re.findall(r'gating:id="([^"]*)"', xml)
    back = {ncname(g): g for g in ids}
    xml = re.sub(r'(gating:(?:id|parent_id))="([^"]*)"', lambda m: '%s="%s"' % (m.group(1), ncname(m.group(2))), xml)
    gs = fk.parse_gating_xml(io.BytesIO(xml.encode()))
    for path in sys.argv[2:]:
        res = gs.gate_sample(fk.Sample(path))
        rep = res.report
        for _, r in rep.iterrows():
            print("%s\t%s\t%d" % (os.path.basename(path), back[r["gate_name"]], r["count"]))


if __name__ == "__main__":
    main()
