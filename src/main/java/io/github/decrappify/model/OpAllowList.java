package io.github.decrappify.model;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Refuses SavedModels whose graphs contain operations an image-restoration network does not need.
 *
 * <p>A SavedModel is a program: TensorFlow has ops that read and write files ({@code ReadFile},
 * {@code WriteFile}, {@code MatchingFiles}), run Python ({@code PyFunc}), print, or talk to other
 * processes. {@link #check(Path)} parses {@code saved_model.pb} without loading it into TensorFlow, collects
 * the ops of every graph and of the function library, and refuses anything outside {@link #ALLOWED}. The
 * checkpoint ops TensorFlow's loader needs ({@code SaveV2}, {@code RestoreV2}, ...) are allowed, but must
 * not be reachable from the {@code serving_default} outputs, so running the model can never touch files.
 *
 * <p>The allow-list covers what Decrappify's graph builders emit (U-Net, attention, losses, gradients,
 * Adam) plus common convolutional-network ops; extend {@link #ALLOWED} when a builder gains a new op.
 */
public final class OpAllowList {

    /** Only reachable while loading (restore) or saving, never while predicting. */
    static final Set<String> CHECKPOINT_IO = Set.of("SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename",
            "ShardedFilespec", "StringJoin");

    /** Ops named in refusals as able to touch files, processes or the network (all are outside the list). */
    public static final Set<String> DANGEROUS = Set.of("ReadFile", "WriteFile", "MatchingFiles", "PyFunc",
            "PyFuncStateless", "EagerPyFunc", "Print", "PrintV2", "ImmutableConst", "Save", "SaveSlices", "Restore",
            "RestoreSlice", "WholeFileReader", "WholeFileReaderV2", "TextLineReader", "TextLineReaderV2",
            "TFRecordReader", "TFRecordReaderV2", "FixedLengthRecordReader", "FixedLengthRecordReaderV2",
            "ReaderReadV2", "TFRecordDataset", "TextLineDataset", "FixedLengthRecordDataset", "CSVDataset",
            "SqlDataset", "ExperimentalSqlDataset", "LMDBDataset", "DataServiceDataset", "CreateSummaryFileWriter",
            "WriteScalarSummary", "WriteImageSummary", "WriteSummary", "WriteRawProtoSummary", "Rpc", "TryRpc",
            "_Send", "_Recv", "_HostSend", "_HostRecv", "DebugIdentity", "DebugIdentityV2", "LoadAndRemapMatrix");

    /** Ops a SavedModel may contain. */
    public static final Set<String> ALLOWED = Set.of(
            // graph plumbing and variables (TF1 reference and TF2 resource variables)
            "Const", "Placeholder", "PlaceholderWithDefault", "Identity", "IdentityN", "NoOp", "StopGradient",
            "PreventGradient", "Snapshot", "VariableV2", "Variable", "Assign", "AssignAdd", "AssignSub",
            "VarHandleOp", "ReadVariableOp", "AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp",
            "VarIsInitializedOp", "IsVariableInitialized", "DestroyResourceOp", "Assert",
            "SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename", "ShardedFilespec", "StringJoin",
            "PartitionedCall", "StatefulPartitionedCall", "If", "StatelessIf", "While", "StatelessWhile",
            "Switch", "Merge", "Enter", "Exit", "NextIteration", "LoopCond", "ControlTrigger",
            // shapes and arrays
            "Shape", "ShapeN", "Size", "Rank", "Reshape", "Squeeze", "ExpandDims", "Transpose", "ConcatV2",
            "Concat", "ConcatOffset", "Split", "SplitV", "Pack", "Unpack", "Slice", "StridedSlice",
            "StridedSliceGrad", "Tile", "Fill", "ZerosLike", "OnesLike", "Range", "GatherV2", "Gather",
            "GatherNd", "ScatterNd", "Pad", "PadV2", "MirrorPad", "MirrorPadGrad", "BroadcastTo",
            "BroadcastArgs", "BroadcastGradientArgs", "Cast", "Bitcast", "DepthToSpace", "SpaceToDepth",
            "ReverseV2", "Where", "Select", "SelectV2", "OneHot", "InvertPermutation", "EnsureShape",
            "CheckNumerics",
            // element-wise maths
            "Add", "AddV2", "AddN", "Sub", "Mul", "MulNoNan", "Div", "DivNoNan", "RealDiv", "FloorDiv",
            "FloorMod", "TruncateDiv", "Neg", "Abs", "Sign", "Square", "SquaredDifference", "Sqrt", "Rsqrt",
            "Reciprocal", "Pow", "Exp", "Expm1", "Log", "Log1p", "Maximum", "Minimum", "Floor", "Ceil", "Round",
            "Rint", "Erf", "Sin", "Cos", "Tanh", "Sigmoid", "ClipByValue", "Equal", "NotEqual", "Greater",
            "GreaterEqual", "Less", "LessEqual", "LogicalAnd", "LogicalOr", "LogicalNot", "IsFinite", "IsNan",
            "SqrtGrad", "RsqrtGrad", "TanhGrad", "SigmoidGrad", "ReciprocalGrad",
            // reductions and linear algebra
            "Sum", "Mean", "Max", "Min", "Prod", "ArgMax", "ArgMin", "All", "Any", "Cumsum", "MatMul",
            "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3", "Einsum", "TopKV2", "L2Loss",
            // neural-network layers and their gradients
            "Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "DepthwiseConv2dNative",
            "DepthwiseConv2dNativeBackpropInput", "DepthwiseConv2dNativeBackpropFilter", "Conv3D", "BiasAdd",
            "BiasAddGrad", "BiasAddV1", "Relu", "ReluGrad", "Relu6", "Relu6Grad", "LeakyRelu", "LeakyReluGrad",
            "Elu", "EluGrad", "Selu", "SeluGrad", "Softplus", "SoftplusGrad", "Softsign", "Softmax", "LogSoftmax",
            "AvgPool", "AvgPoolGrad", "MaxPool", "MaxPoolV2", "MaxPoolGrad", "MaxPoolGradV2",
            "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3", "FusedBatchNormGrad",
            "FusedBatchNormGradV2", "FusedBatchNormGradV3", "ResizeBilinear", "ResizeBilinearGrad",
            "ResizeBicubic", "ResizeBicubicGrad", "ResizeNearestNeighbor", "ResizeNearestNeighborGrad",
            "ScaleAndTranslate", "ScaleAndTranslateGrad", "SoftmaxCrossEntropyWithLogits",
            "SigmoidCrossEntropyWithLogits",
            // random initialisers and optimisers
            "RandomUniform", "RandomStandardNormal", "TruncatedNormal", "RandomUniformInt",
            "StatelessRandomUniform", "StatelessRandomNormal", "StatelessTruncatedNormal",
            "StatelessRandomUniformV2", "StatelessRandomNormalV2", "StatelessTruncatedNormalV2",
            "StatelessRandomGetKeyCounter", "ApplyAdam", "ResourceApplyAdam", "ApplyGradientDescent",
            "ResourceApplyGradientDescent", "ApplyMomentum", "ResourceApplyMomentum");

    /** Largest {@code saved_model.pb} parsed (graphs only; weights are in {@code variables/}). */
    static final long MAX_GRAPH_BYTES = 512L << 20;

    private OpAllowList() {}

    /**
     * Parses {@code savedModelDir/saved_model.pb} and refuses it unless every op is allowed and no
     * checkpoint op is reachable from the {@code serving_default} outputs.
     *
     * @throws BundleException one line listing the offending ops (the caller prefixes the model name)
     */
    public static void check(Path savedModelDir) throws BundleException {
        SavedModel model = parse(savedModelDir);
        Set<String> ops = opsIn(model);
        Set<String> refused = new TreeSet<>(ops);
        refused.removeAll(ALLOWED);
        if (!refused.isEmpty()) {
            Set<String> dangerous = new TreeSet<>(refused);
            dangerous.retainAll(DANGEROUS);
            throw new BundleException("the SavedModel uses " + (dangerous.isEmpty()
                    ? "operations outside Decrappify's allow-list: " + String.join(", ", refused)
                    : "operations that can access files, processes or the network: " + String.join(", ", refused))
                    + "; refusing to load it");
        }
        for (MetaGraphDef graph : model.getMetaGraphsList()) {
            Set<String> served = servingOps(graph);
            served.retainAll(CHECKPOINT_IO);
            if (!served.isEmpty()) {
                throw new BundleException("the SavedModel's serving_default outputs depend on checkpoint file"
                        + " operations (" + String.join(", ", new TreeSet<>(served)) + "); refusing to load it");
            }
        }
    }

    /** Every op type in all graphs and function libraries, excluding calls of library functions. */
    public static Set<String> opsIn(Path savedModelDir) throws BundleException {
        return opsIn(parse(savedModelDir));
    }

    private static Set<String> opsIn(SavedModel model) {
        Set<String> ops = new TreeSet<>();
        for (MetaGraphDef graph : model.getMetaGraphsList()) {
            Set<String> functions = functionNames(graph);
            for (NodeDef node : graph.getGraphDef().getNodeList()) {
                addOp(ops, node, functions);
            }
            for (FunctionDef f : graph.getGraphDef().getLibrary().getFunctionList()) {
                for (NodeDef node : f.getNodeDefList()) {
                    addOp(ops, node, functions);
                }
            }
        }
        return ops;
    }

    private static void addOp(Set<String> ops, NodeDef node, Set<String> functions) {
        // A node whose op names a library function calls it; the function's own nodes are checked too.
        if (!functions.contains(node.getOp())) {
            ops.add(node.getOp());
        }
    }

    private static Set<String> functionNames(MetaGraphDef graph) {
        Set<String> names = new HashSet<>();
        for (FunctionDef f : graph.getGraphDef().getLibrary().getFunctionList()) {
            names.add(f.getSignature().getName());
        }
        return names;
    }

    /** Op types the serving_default outputs transitively depend on, through inputs and function calls. */
    private static Set<String> servingOps(MetaGraphDef graph) {
        Map<String, NodeDef> nodes = new HashMap<>();
        for (NodeDef node : graph.getGraphDef().getNodeList()) {
            nodes.put(node.getName(), node);
        }
        Map<String, FunctionDef> functions = new HashMap<>();
        for (FunctionDef f : graph.getGraphDef().getLibrary().getFunctionList()) {
            functions.put(f.getSignature().getName(), f);
        }
        Deque<String> pending = new ArrayDeque<>();
        SignatureDef signature = graph.getSignatureDefMap().get("serving_default");
        if (signature != null) {
            for (TensorInfo out : signature.getOutputsMap().values()) {
                pending.add(nodeName(out.getName()));
            }
        }
        Set<String> seen = new HashSet<>();
        Set<String> ops = new HashSet<>();
        Deque<String> calledFunctions = new ArrayDeque<>();
        while (!pending.isEmpty()) {
            NodeDef node = nodes.get(pending.pop());
            if (node == null || !seen.add(node.getName())) {
                continue;
            }
            addReached(node, ops, calledFunctions, functions);
            for (String input : node.getInputList()) {
                pending.add(nodeName(input));
            }
        }
        Set<String> seenFunctions = new HashSet<>();
        while (!calledFunctions.isEmpty()) {
            FunctionDef f = functions.get(calledFunctions.pop());
            if (f != null && seenFunctions.add(f.getSignature().getName())) {
                // Conservative: every node of a called function counts as reached.
                for (NodeDef node : f.getNodeDefList()) {
                    addReached(node, ops, calledFunctions, functions);
                }
            }
        }
        return ops;
    }

    private static void addReached(NodeDef node, Set<String> ops, Deque<String> calls, Map<String, FunctionDef> fns) {
        if (fns.containsKey(node.getOp())) {
            calls.add(node.getOp());
        } else {
            ops.add(node.getOp());
        }
        for (AttrValue attr : node.getAttrMap().values()) {
            if (attr.hasFunc()) {
                calls.add(attr.getFunc().getName());
            }
            attr.getList().getFuncList().forEach(f -> calls.add(f.getName()));
        }
    }

    /** {@code "^ctrl"}, {@code "node:1"} and {@code "node"} all name node {@code node}. */
    private static String nodeName(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    private static SavedModel parse(Path savedModelDir) throws BundleException {
        Path pb = savedModelDir.resolve("saved_model.pb");
        try {
            if (!Files.isRegularFile(pb)) {
                throw new BundleException("the weights hold no saved_model.pb; not a TensorFlow SavedModel");
            }
            if (Files.size(pb) > MAX_GRAPH_BYTES) {
                throw new BundleException("saved_model.pb is larger than " + (MAX_GRAPH_BYTES >> 20) + " MiB");
            }
            SavedModel model = SavedModel.parseFrom(Files.readAllBytes(pb));
            if (model.getMetaGraphsCount() == 0) {
                throw new BundleException("saved_model.pb holds no graph");
            }
            return model;
        } catch (InvalidProtocolBufferException e) {
            throw new BundleException("saved_model.pb is not a valid SavedModel (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BundleException("cannot read " + pb + " (" + e.getMessage() + ")", e);
        }
    }
}
