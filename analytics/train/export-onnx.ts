import onnxProto from 'onnx-proto'

const { onnx } = onnxProto

/** A dense layer: `weights` row-major [inputs × units], `bias` [units]. */
export interface DenseLayer {
  inputs: number
  units: number
  weights: Float32Array
  bias: Float32Array
}

/** What {@link exportOnnx} writes. */
export interface OnnxExport {
  /** Hidden layers (ReLU) then the output layer (softmax). */
  layers: readonly DenseLayer[]
  inputName?: string
  outputName?: string
  /** Free-form key/value pairs stored as the model's metadata_props (feature set, classes). */
  metadata?: Record<string, string>
  docString?: string
}

// IR 7 with the default-domain opset 13: every onnxruntime 1.x from 1.8 on runs it, and Softmax's
// opset-13 semantics (along the last axis only) are the ones wanted here.
const IR_VERSION = 7
const OPSET = 13
const FLOAT = onnx.TensorProto.DataType.FLOAT

function tensor (name: string, dims: number[], data: Float32Array): onnxProto.onnx.ITensorProto {
  // raw_data is little-endian IEEE 754 (onnx.proto); Float32Array is little-endian on every platform Node runs on.
  const raw = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
  return { name, dims, dataType: FLOAT, rawData: raw }
}

function valueInfo (name: string, width: number): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] } } }
  }
}

/**
 * Builds the ONNX model of a small dense classifier as MatMul → Add → Relu … MatMul → Add →
 * Softmax, input `features` float32 [N, F], output `probabilities` float32 [N, C]. The bytes depend
 * only on the arguments (no timestamps, no producer version), so the same weights give the same file.
 *
 * @example
 * const bytes = exportOnnx({ layers: [{ inputs: 2, units: 2, weights: new Float32Array(4), bias: new Float32Array(2) }] })
 */
export function exportOnnx (spec: OnnxExport): Uint8Array {
  const input = spec.inputName ?? 'features'
  const output = spec.outputName ?? 'probabilities'
  const nodes: onnxProto.onnx.INodeProto[] = []
  const inits: onnxProto.onnx.ITensorProto[] = []
  let cur = input
  spec.layers.forEach((l, i) => {
    if (l.weights.length !== l.inputs * l.units || l.bias.length !== l.units) throw new RangeError(`layer ${i}: weights or bias of the wrong size`)
    const last = i === spec.layers.length - 1
    inits.push(tensor(`W${i}`, [l.inputs, l.units], l.weights), tensor(`b${i}`, [l.units], l.bias))
    nodes.push({ opType: 'MatMul', name: `matmul${i}`, input: [cur, `W${i}`], output: [`h${i}_mm`] })
    nodes.push({ opType: 'Add', name: `add${i}`, input: [`h${i}_mm`, `b${i}`], output: [`h${i}_lin`] })
    if (last) {
      nodes.push({
        opType: 'Softmax',
        name: 'softmax',
        input: [`h${i}_lin`],
        output: [output],
        attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }]
      })
    } else {
      nodes.push({ opType: 'Relu', name: `relu${i}`, input: [`h${i}_lin`], output: [`h${i}`] })
      cur = `h${i}`
    }
  })
  const first = spec.layers[0]
  const lastLayer = spec.layers[spec.layers.length - 1]
  if (first === undefined || lastLayer === undefined) throw new RangeError('a model needs at least one layer')
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'gangwan-train',
    docString: spec.docString ?? '',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: 'anomaly',
      node: nodes,
      initializer: inits,
      input: [valueInfo(input, first.inputs)],
      output: [valueInfo(output, lastLayer.units)]
    },
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value }))
  })
  return onnx.ModelProto.encode(model).finish()
}
