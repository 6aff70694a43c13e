// A bulk query's result as Shopify writes it: one JSON line per node of the root connection;
// nodes of nested connections on lines of their own carrying `__parentId`, right after their
// parent (groupObjects). Lines are produced one root object at a time, never all at once.
import {
  type DocumentNode,
  type FieldNode,
  getArgumentValues,
  getNamedType,
  getNullableType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from "graphql";

import { connectionNodeSelection, isConnectionType } from "./bulk-query-rules";
import { notImplemented } from "./graphql-resolvers";
import type { FieldFn, GqlObject, ResolverContext } from "./graphql-types";

const PAGE = 250;

interface WriterEnv {
  schema: GraphQLSchema;
  document: DocumentNode;
  ctx: ResolverContext;
}

interface Deferred {
  nodes: GqlObject[];
  set: SelectionSetNode;
}

function fakeInfo(fieldName: string): GraphQLResolveInfo {
  // Connection resolvers only read the path (for search warnings).
  return { fieldName, path: { prev: undefined, key: fieldName, typename: undefined } } as GraphQLResolveInfo;
}

function resolve(obj: GqlObject, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, env: WriterEnv) {
  if (!Object.hasOwn(obj, field.name)) throw notImplemented(`${obj.__typename}.${field.name}`);
  const value = obj[field.name];
  return typeof value === "function" ? (value as FieldFn)(args, env.ctx, fakeInfo(field.name)) : value;
}

/** Every node of a nested connection, page after page. */
function allNodes(
  obj: GqlObject,
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
  env: WriterEnv,
) {
  const nodes: GqlObject[] = [];
  let after: string | null = null;
  for (;;) {
    const page = resolve(obj, field, { ...args, first: PAGE, after }, env) as {
      nodes: (GqlObject | null)[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    for (const node of page.nodes) if (node) nodes.push(node);
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

function objectType(env: WriterEnv, value: GqlObject): GraphQLObjectType {
  const type = env.schema.getType(value.__typename);
  if (!type || !isObjectType(type)) throw new Error(`Unknown object type ${value.__typename}`);
  return type;
}

function serialize(obj: GqlObject, set: SelectionSetNode, env: WriterEnv, deferred: Deferred[]) {
  const type = objectType(env, obj);
  const out: Record<string, unknown> = {};
  const visit = (selections: SelectionSetNode) => {
    for (const selection of selections.selections) {
      if (selection.kind !== Kind.FIELD) {
        const fragment =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selection
            : env.document.definitions.find(
                (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
              );
        if (!fragment || !("selectionSet" in fragment) || !fragment.selectionSet) continue;
        const condition = "typeCondition" in fragment ? fragment.typeCondition?.name.value : undefined;
        const applies = !condition || condition === type.name || type.getInterfaces().some((i) => i.name === condition);
        if (applies) visit(fragment.selectionSet);
        continue;
      }
      writeField(obj, type, selection, env, deferred, out);
    }
  };
  visit(set);
  return out;
}

function writeField(
  obj: GqlObject,
  type: GraphQLObjectType,
  field: FieldNode,
  env: WriterEnv,
  deferred: Deferred[],
  out: Record<string, unknown>,
) {
  const key = field.alias?.value ?? field.name.value;
  if (field.name.value === "__typename") {
    out[key] = obj.__typename;
    return;
  }
  const def = type.getFields()[field.name.value]!;
  const args = getArgumentValues(def, field, {});
  const named = getNamedType(def.type);
  if (isObjectType(named) && isConnectionType(named)) {
    const set = connectionNodeSelection(field, env.document);
    if (set) deferred.push({ nodes: allNodes(obj, def, args, env), set });
    return;
  }
  const value = resolve(obj, def, args, env);
  const write = (item: unknown): unknown => {
    if (item === null || item === undefined) return null;
    if (isLeafType(named) || !field.selectionSet) return item;
    return serialize(item as GqlObject, field.selectionSet, env, deferred);
  };
  out[key] = isListType(getNullableType(def.type)) && Array.isArray(value) ? value.map(write) : write(value);
}

/** The lines of one root object and its nested connections' nodes. */
export function* linesOfRoot(
  root: GqlObject,
  set: SelectionSetNode,
  env: WriterEnv,
  parentId?: string,
): Generator<string> {
  const deferred: Deferred[] = [];
  const out = serialize(root, set, env, deferred);
  if (parentId !== undefined) out.__parentId = parentId;
  yield JSON.stringify(out);
  for (const child of deferred) {
    for (const node of child.nodes) yield* linesOfRoot(node, child.set, env, root.id as string);
  }
}

export type { WriterEnv };
