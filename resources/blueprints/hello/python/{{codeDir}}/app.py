"""{{functionName}}: greets the caller by the name given in the event."""
import os

GREETING = os.environ.get("GREETING", "Hello")


def handler(event, context):
    name = event.get("name") if isinstance(event, dict) else None
    name = name.strip() if isinstance(name, str) and name.strip() else "world"
    print(f"Greeting {name}")
    return {"message": f"{GREETING}, {name}!"}
