// Shopify's rules for a bulk query (bulkOperationRunQuery): valid against the schema, at
// least one connection, at most five, nested at most two levels, no connection inside a
// list field, and a nested connection's parent node selects `id` (children name it in
// `__parentId`). A broken rule is a userError with code INVALID, as Shopify answers.
import {
  type DocumentNode,
  type FieldNode,
  getNamedType,
  getNullableType,
  type GraphQLCompositeType,
  type GraphQLSchema,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  parse,
  type SelectionSetNode,
  validate,
} from "graphql";

export const MAX_BULK_CONNECTIONS = 5;
export const MAX_BULK_CONNECTION_DEPTH = 2;

export function isConnectionType(type: GraphQLCompositeType): boolean {
  return isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();
}

/** The fields of a selection set, fragments flattened (the double's bulk queries need no more). */
export function fieldsOf(set: SelectionSetNode, document: DocumentNode): FieldNode[] {
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, document);
    const fragment = document.definitions.find(
      (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
    );
    return fragment && fragment.kind === Kind.FRAGMENT_DEFINITION ? fieldsOf(fragment.selectionSet, document) : [];
  });
}

/** The selection of a connection's nodes (`edges { node }` or `nodes`). */
export function connectionNodeSelection(field: FieldNode, document: DocumentNode): SelectionSetNode | undefined {
  for (const sub of fieldsOf(field.selectionSet!, document)) {
    if (sub.name.value === "nodes") return sub.selectionSet;
    if (sub.name.value === "edges" && sub.selectionSet) {
      const node = fieldsOf(sub.selectionSet, document).find((f) => f.name.value === "node");
      if (node?.selectionSet) return node.selectionSet;
    }
  }
  return undefined;
}

export type BulkQueryCheck = { ok: true; document: DocumentNode } | { ok: false; message: string };

export function checkBulkQuery(schema: GraphQLSchema, query: string): BulkQueryCheck {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { ok: false, message: `Invalid bulk query: ${(error as Error).message}` };
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return { ok: false, message: `Invalid bulk query: ${errors[0]!.message}` };
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== "query") {
    return { ok: false, message: "Invalid bulk query: a bulk query must be a query operation." };
  }
  let connections = 0;
  let problem: string | null = null;
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, depth: number, insideList: boolean) => {
    if (!isObjectType(parent) && !("getFields" in parent)) return;
    for (const field of fieldsOf(set, document)) {
      const def = "getFields" in parent ? parent.getFields()[field.name.value] : undefined;
      if (!def || !field.selectionSet) continue;
      const named = getNamedType(def.type);
      if (!isCompositeType(named)) continue;
      if (isConnectionType(named)) {
        connections++;
        if (insideList)
          problem ??= "Queries that contain a connection field within a list field are not currently supported.";
        if (depth + 1 > MAX_BULK_CONNECTION_DEPTH) {
          problem ??= `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_BULK_CONNECTION_DEPTH}.`;
        }
        if (depth > 0 && !fieldsOf(set, document).some((f) => f.name.value === "id" && !f.alias)) {
          problem ??=
            "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. " +
            `Connection fields without 'id': ${field.name.value}.`;
        }
        const nodeSet = connectionNodeSelection(field, document);
        const nodeType = isObjectType(named) ? getNamedType(named.getFields().nodes?.type) : undefined;
        if (nodeSet && nodeType && isCompositeType(nodeType)) walk(nodeSet, nodeType, depth + 1, false);
        continue;
      }
      walk(field.selectionSet, named, depth, insideList || isListType(getNullableType(def.type)));
    }
  };
  walk(operation.selectionSet, schema.getQueryType()!, 0, false);
  if (problem) return { ok: false, message: problem };
  if (connections === 0) return { ok: false, message: "Bulk queries must contain at least one connection." };
  if (connections > MAX_BULK_CONNECTIONS) {
    return { ok: false, message: `Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.` };
  }
  return { ok: true, document };
}
