/**
 * The subset of the ONNX protobuf schema (onnx/onnx.proto, IR version 8) that the exporter writes,
 * declared as a descriptor with the field numbers of the ONNX specification, plus plain TypeScript
 * shapes of the messages and an encoder.
 *
 * The encoder walks the descriptor and writes with protobufjs's minimal `Writer` instead of
 * protobufjs's generated encoders: those are compiled at run time (`new Function`), which the app's
 * Content-Security-Policy forbids, and export must also work in the app window.
 *
 * Invariant: only fields the exporter needs are declared; a message field not in the descriptor
 * is an error rather than silently dropped.
 */
import protobuf from 'protobufjs/minimal';

/** ONNX TensorProto.DataType values used here. */
export const DT = { FLOAT: 1, INT64: 7, STRING: 8, BOOL: 9, DOUBLE: 11 } as const;
/** ONNX AttributeProto.AttributeType values used here. */
export const AT = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** The schema subset as a protobufjs JSON descriptor (tests decode with it through protobufjs reflection). */
export const onnxDescriptor = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: {
          fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4 },
            int32Data: { rule: 'repeated', type: 'int32', id: 5 },
            stringData: { rule: 'repeated', type: 'bytes', id: 6 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            doubleData: { rule: 'repeated', type: 'double', id: 10 },
            docString: { type: 'string', id: 12 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            strings: { rule: 'repeated', type: 'bytes', id: 9 },
            docString: { type: 'string', id: 13 },
            type: { type: 'int32', id: 20 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            docString: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
        Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        TensorTypeProto: {
          fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
        },
        TypeProto: {
          fields: { tensorType: { type: 'TensorTypeProto', id: 1 }, denotation: { type: 'string', id: 6 } },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            docString: { type: 'string', id: 3 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            docString: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
      },
    },
  },
};

export interface TensorMsg {
  name: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  stringData?: Uint8Array[];
}
export interface AttributeMsg {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorMsg;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}
export interface NodeMsg {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  domain?: string;
  attribute: AttributeMsg[];
  docString?: string;
}
export interface ValueInfoMsg {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: ({ dimValue: number } | { dimParam: string })[] } } };
  docString?: string;
}
export interface ModelMsg {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  modelVersion?: number;
  graph: {
    name: string;
    node: NodeMsg[];
    initializer: TensorMsg[];
    input: ValueInfoMsg[];
    output: ValueInfoMsg[];
    docString?: string;
  };
  opsetImport: { domain: string; version: number }[];
  metadataProps: { key: string; value: string }[];
}

interface FieldSpec {
  type: string;
  id: number;
  rule?: 'repeated';
}
const messages = onnxDescriptor.nested.onnx.nested as Record<string, { fields: Record<string, FieldSpec> }>;

/** Protobuf wire types (protobuf encoding spec): varint, 64-bit, length-delimited, 32-bit. */
const WIRE: Record<string, number> = { int32: 0, int64: 0, double: 1, string: 2, bytes: 2, float: 5 };

function writeScalar(w: protobuf.Writer, type: string, v: unknown, where: string): void {
  switch (type) {
    case 'int32':
      w.int32(v as number);
      return;
    case 'int64':
      w.int64(v as number);
      return;
    case 'float':
      w.float(v as number);
      return;
    case 'double':
      w.double(v as number);
      return;
    case 'string':
      w.string(v as string);
      return;
    case 'bytes':
      w.bytes(v as Uint8Array);
      return;
    default:
      throw new Error(`ONNX export: no scalar type '${type}' (${where})`);
  }
}

function writeMessage(w: protobuf.Writer, typeName: string, msg: Record<string, unknown>): void {
  const spec = messages[typeName];
  for (const key of Object.keys(msg))
    if (msg[key] !== undefined && !(key in spec.fields))
      throw new Error(`ONNX export: invalid model message: ${typeName} has no field '${key}'`);
  const fields = Object.entries(spec.fields).sort((a, b) => a[1].id - b[1].id);
  for (const [name, f] of fields) {
    const v = msg[name];
    if (v === undefined || v === null) continue;
    const where = `${typeName}.${name}`;
    const isMessage = f.type in messages;
    const values = f.rule === 'repeated' ? (v as unknown[]) : [v];
    if (f.rule === 'repeated' && !Array.isArray(v))
      throw new Error(`ONNX export: invalid model message: ${where} must be a list`);
    if (values.length === 0) continue;
    if (f.rule === 'repeated' && !isMessage && WIRE[f.type] !== 2) {
      // Repeated numbers are packed (one length-delimited run), as proto3 writers do.
      w.uint32((f.id << 3) | 2).fork();
      for (const x of values) writeScalar(w, f.type, x, where);
      w.ldelim();
      continue;
    }
    for (const x of values) {
      if (isMessage) {
        w.uint32((f.id << 3) | 2).fork();
        writeMessage(w, f.type, x as Record<string, unknown>);
        w.ldelim();
      } else {
        w.uint32((f.id << 3) | WIRE[f.type]);
        writeScalar(w, f.type, x, where);
      }
    }
  }
}

/** Serialises a ModelProto. @throws Error when a message does not fit the schema. */
export function encodeModel(model: ModelMsg): Uint8Array {
  const w = protobuf.Writer.create();
  writeMessage(w, 'ModelProto', model as unknown as Record<string, unknown>);
  return w.finish();
}
