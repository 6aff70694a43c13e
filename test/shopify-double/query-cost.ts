// Shopify's calculated query cost. Requested cost is static: scalars and enums 0, objects 1,
// connections 2 + page size × the cost of one node, interfaces/unions the most expensive
// alternative, each mutation field 10. Actual cost walks the returned data the same way,
// so a page that came back short costs less (Shopify refunds the difference).
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLInt,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isLeafType,
  isListType,
  isObjectType,
  isUnionType,
  Kind,
  valueFromAST,
} from "graphql";

export const MUTATION_FIELD_COST = 10;

interface Env {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** Marks a static estimate; otherwise the walk is over returned data. */
const ESTIMATE = Symbol("estimate");
type Source = typeof ESTIMATE | Record<string, unknown>;

export function findOperation(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((op) => op.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

function makeEnv(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined): Env {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return { schema, fragments, variables: variables ?? {} };
}

function pageSize(field: FieldNode, env: Env): number | null {
  for (const name of ["first", "last"]) {
    const arg = field.arguments?.find((a) => a.name.value === name);
    if (!arg) continue;
    const value: unknown = valueFromAST(arg.value, GraphQLInt, env.variables);
    if (typeof value === "number") return value;
  }
  return null;
}

function isConnection(type: GraphQLCompositeType): boolean {
  return isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();
}

/** Visits the fields of a selection set, flattening fragments; `branch` names the fragment's concrete type on abstract parents. */
function eachField(
  set: SelectionSetNode,
  parent: GraphQLCompositeType,
  env: Env,
  visit: (field: FieldNode, on: GraphQLCompositeType, branch: string) => void,
  branch = "",
): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      visit(sel, parent, branch);
      continue;
    }
    const fragment = sel.kind === Kind.INLINE_FRAGMENT ? sel : env.fragments.get(sel.name.value);
    if (!fragment) continue;
    const condition = fragment.typeCondition ? env.schema.getType(fragment.typeCondition.name.value) : parent;
    if (!condition || !isCompositeType(condition)) continue;
    const next = isAbstractType(parent) && isObjectType(condition) ? condition.name : branch;
    eachField(fragment.selectionSet, condition, env, visit, next);
  }
}

function setCost(set: SelectionSetNode | undefined, parent: GraphQLCompositeType, env: Env, source: Source): number {
  if (!set) return 0;
  const branches = new Map<string, number>();
  eachField(set, parent, env, (field, on, branch) => {
    branches.set(branch, (branches.get(branch) ?? 0) + fieldCost(field, on, env, source));
  });
  let alternatives = 0;
  for (const [branch, cost] of branches) if (branch !== "") alternatives = Math.max(alternatives, cost);
  return (branches.get("") ?? 0) + alternatives;
}

function valueAt(source: Source, field: FieldNode): unknown {
  return source === ESTIMATE ? ESTIMATE : source[field.alias?.value ?? field.name.value];
}

function asSource(value: unknown): Source | null {
  if (value === ESTIMATE) return ESTIMATE;
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : null;
}

function fieldCost(field: FieldNode, parent: GraphQLCompositeType, env: Env, source: Source): number {
  const name = field.name.value;
  if (name.startsWith("__") || isUnionType(parent)) return 0;
  const def = parent.getFields()[name];
  if (!def) return 0;
  const named = getNamedType(def.type);
  if (isLeafType(named) || !isCompositeType(named)) return 0;
  const value = valueAt(source, field);

  if (isConnection(named)) return 2 + connectionNodesCost(field, named, env, value);

  const objectCost = (item: unknown): number => {
    const child = asSource(item);
    return 1 + (child ? setCost(field.selectionSet, named, env, child) : 0);
  };
  if (isListType(getNullableType(def.type))) {
    if (value === ESTIMATE) return (pageSize(field, env) ?? 1) * objectCost(ESTIMATE);
    return Array.isArray(value)
      ? value.reduce((sum: number, item) => sum + (item == null ? 0 : objectCost(item)), 0)
      : 0;
  }
  return objectCost(value);
}

/** Nodes of a connection, reached through `edges { node }` or `nodes`; the dearer path counts once. */
function connectionNodesCost(field: FieldNode, connection: GraphQLCompositeType, env: Env, value: unknown): number {
  const conn = asSource(value);
  if (!conn || !field.selectionSet) return 0;
  let viaEdges = 0;
  let viaNodes = 0;
  eachField(field.selectionSet, connection, env, (sub, on) => {
    const subName = sub.name.value;
    if (subName === "nodes") {
      viaNodes += fieldCost(sub, on, env, conn);
    } else if (subName === "edges" && sub.selectionSet && !isUnionType(on)) {
      const edgeType = getNamedType(on.getFields().edges?.type);
      if (!edgeType || !isCompositeType(edgeType)) return;
      const edges = conn === ESTIMATE ? [ESTIMATE] : valueAt(conn, sub);
      for (const edge of Array.isArray(edges) ? edges : []) {
        const edgeSource = asSource(edge);
        if (edgeSource) viaEdges += setCost(sub.selectionSet, edgeType, env, edgeSource);
      }
    }
  });
  const perPage = Math.max(viaEdges, viaNodes);
  return conn === ESTIMATE ? (pageSize(field, env) ?? 0) * perPage : perPage;
}

function operationCost(op: OperationDefinitionNode, env: Env, source: Source): number {
  if (op.operation === "mutation") {
    let fields = 0;
    eachField(op.selectionSet, env.schema.getMutationType()!, env, (f) => {
      if (!f.name.value.startsWith("__")) fields++;
    });
    return fields * MUTATION_FIELD_COST;
  }
  const root = op.operation === "query" ? env.schema.getQueryType() : env.schema.getSubscriptionType();
  return root ? setCost(op.selectionSet, root, env, source) : 0;
}

export function requestedQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  variables?: Record<string, unknown>,
): number {
  const op = findOperation(document, operationName);
  return op ? operationCost(op, makeEnv(schema, document, variables), ESTIMATE) : 0;
}

export function actualQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  data: Record<string, unknown> | null | undefined,
): number {
  const op = findOperation(document, operationName);
  if (!op || !data) return 0;
  return operationCost(op, makeEnv(schema, document, variables), data);
}
