"""A client generated from ragplan's OpenAPI document (openapi-python-client) drives
a real `ragplan serve`: a delivery plan imported from its file, a progress update
recorded against one of its actions with the plan's ETag, and the assessment read
back, each answer parsed into the client's own typed models.

    python3 .ci/client.py BASE_URL TOKEN PLAN_FILE   # as .ci/schemathesis.sh runs it
"""

import datetime
import sys

from ragplan_client import AuthenticatedClient
from ragplan_client.api.actions import post_update
from ragplan_client.api.plans import assessment, import_
from ragplan_client.models import (
    ActionResponse,
    AssessmentDocument,
    ImportResponse,
    UpdateRequest,
)
from ragplan_client.types import File

PLAN_ID = "generated-client"


def fail(what, response):
    sys.exit(f"error: {what}: HTTP {response.status_code}: {response.content[:500]!r}")


def main():
    base, token, source = sys.argv[1:4]
    client = AuthenticatedClient(base_url=base, token=token)
    name = source.rsplit("/", 1)[-1]
    with open(source, "rb") as f:
        body = File(payload=f, file_name=name, mime_type="application/octet-stream")
        imported = import_.sync_detailed(client=client, body=body, id=PLAN_ID, file_name=name)
    if imported.status_code != 201 or not isinstance(imported.parsed, ImportResponse):
        fail("import", imported)
    plan = imported.parsed.plan
    action = plan.objectives[0].sub_objectives[0].actions[0]
    print(f"imported {plan.id}: {len(plan.objectives)} objectives; first action {action.key}")

    update = UpdateRequest(
        by="generated client",
        status="complete",
        note="Signed by every partner",
        evidence="Minutes of the board",
        on=datetime.date(2015, 6, 1),
    )
    etag = imported.headers["etag"]
    updated = post_update.sync_detailed(PLAN_ID, action.key, client=client, body=update, if_match=etag)
    if updated.status_code not in (200, 201) or not isinstance(updated.parsed, ActionResponse):
        fail("update", updated)

    rated = assessment.sync_detailed(PLAN_ID, client=client, as_of="2015-06-30")
    if rated.status_code != 200 or not isinstance(rated.parsed, AssessmentDocument):
        fail("assessment", rated)
    document = rated.parsed

    def find(nodes):
        for node in nodes:
            if node.key == action.key and node.kind == "action":
                return node
            found = find(node.children or [])
            if found:
                return found
        return None

    node = find(document.nodes)
    if node is None or node.delivery.rating != "complete":
        sys.exit(f"error: {action.key} is not rated complete: {node and node.delivery.rating}")
    print(f"assessed as of {document.as_of}: {action.key} {node.delivery.rating}; "
          f"plan {document.delivery.rating}")


if __name__ == "__main__":
    main()
