// The compact shape table the generated service models hold, derived from a botocore service-2.json (shared by the generators).

/** The constraint- and serialisation-carrying part of a shape; documentation and SDK-only traits are left out. */
export function compactShape(shape) {
  const out = { type: shape.type };
  for (const key of ['min', 'max', 'pattern', 'enum', 'flattened']) if (shape[key] !== undefined) out[key] = shape[key];
  if (shape.type === 'structure') {
    out.members = {};
    for (const [name, member] of Object.entries(shape.members)) {
      const m = { shape: member.shape };
      if (member.location) m.location = member.location;
      if (member.locationName && member.locationName !== name) m.locationName = member.locationName;
      else if (member.location === 'header' || member.location === 'querystring' || member.location === 'uri') m.locationName = member.locationName ?? name;
      if (member.flattened) m.flattened = true;
      out.members[name] = m;
    }
    if (shape.required?.length) out.required = shape.required;
    if (shape.payload) out.payload = shape.payload;
  }
  if (shape.type === 'list') {
    out.member = shape.member.shape;
    if (shape.member.locationName) out.memberName = shape.member.locationName;
  }
  if (shape.type === 'map') {
    out.key = shape.key.shape;
    out.value = shape.value.shape;
    if (shape.key.locationName) out.keyName = shape.key.locationName;
    if (shape.value.locationName) out.valueName = shape.value.locationName;
  }
  return out;
}

/** Every shape `name` reaches, compacted, into `into`. */
export function collectShapes(shapes, name, into) {
  if (into.has(name)) return;
  const shape = shapes[name];
  into.set(name, compactShape(shape));
  if (shape.type === 'structure') for (const member of Object.values(shape.members)) collectShapes(shapes, member.shape, into);
  if (shape.type === 'list') collectShapes(shapes, shape.member.shape, into);
  if (shape.type === 'map') {
    collectShapes(shapes, shape.key.shape, into);
    collectShapes(shapes, shape.value.shape, into);
  }
}

/** Shapes sorted by name, as the generated files list them. */
export function sortedShapes(map) {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
