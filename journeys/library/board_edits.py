"""The board's fine-grained, versioned edits (store cells, edits, findings), guarded by rights."""

from __future__ import annotations

from journeys.roles import Permission, requires
from journeys.store import cells, edits, findings

# The edits themselves live with the store (they are one transaction each, with versions);
# they are use cases too, so they are guarded here like every other one.
_edit = requires(Permission.EDIT)

add_touchpoint = _edit(cells.add_touchpoint)
update_touchpoint = _edit(cells.update_touchpoint)
delete_touchpoint = _edit(cells.delete_touchpoint)
restore_touchpoint = _edit(cells.restore_touchpoint)
add_moment = _edit(edits.add_moment)
update_moment = _edit(edits.update_moment)
move_moment = _edit(edits.move_moment)
delete_moment = _edit(edits.delete_moment)
restore_moment = _edit(edits.restore_moment)
add_channel = _edit(edits.add_channel)
update_channel = _edit(edits.update_channel)
move_channel = _edit(edits.move_channel)
delete_channel = _edit(edits.delete_channel)
restore_channel = _edit(edits.restore_channel)
add_finding = _edit(findings.add_finding)
update_finding = _edit(findings.update_finding)
delete_finding = _edit(findings.delete_finding)
restore_finding = _edit(findings.restore_finding)
add_flow = _edit(findings.add_flow)
update_flow = _edit(findings.update_flow)
delete_flow = _edit(findings.delete_flow)
