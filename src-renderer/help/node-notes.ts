/**
 * Hand-written facts the node registry does not carry, keyed by node type: formulas of the data and
 * layer nodes (the component registries carry their own), the lecture section each node comes from,
 * and practical tips. node-pages.ts merges them with the registry; a type missing here still gets a
 * page (the unit test then fails on its empty lecture reference or tips, not silently).
 *
 * Lecture section names are headings of the course lecture "Deep neural networks" (the spec); nodes
 * the lecture does not cover name their paper instead.
 */

/** LaTeX formulas of node types whose registry entry has none (notation of the lecture: x is a row). */
export const LAYER_FORMULAS: Readonly<Record<string, string>> = {
  Dense: 'y = xW + b,\\quad W \\in \\mathbb{R}^{n_{in} \\times n_{units}},\\ b \\in \\mathbb{R}^{n_{units}}',
  RBF:
    '\\phi(x) = \\left(1,\\ e^{-\\lVert x-\\mu_0\\rVert^2 / 2\\sigma_0^2},\\ \\dots,\\ ' +
    'e^{-\\lVert x-\\mu_{N-1}\\rVert^2 / 2\\sigma_{N-1}^2}\\right)',
  Maxout: 'y_i = \\max_{j = 1..k}\\ (xW + b)_{(i-1)k + j},\\quad i = 1..n_{units}',
  Dropout:
    'y = \\frac{m \\odot x}{1 - p},\\ m_i \\sim \\mathrm{Bernoulli}(1 - p)\\ \\text{(training)};\\quad y = x\\ \\text{(evaluation)}',
  BatchNorm:
    'y = \\gamma \\odot \\frac{x - \\mu_B}{\\sqrt{\\sigma_B^2 + \\varepsilon}} + \\beta,\\quad ' +
    '\\mu_B, \\sigma_B^2 = \\text{batch mean, variance}',
  Add: 'y = x^{(1)} + x^{(2)} + \\dots + x^{(m)}',
  Concat: 'y = \\left[\\, x^{(1)} \\mid x^{(2)} \\mid \\dots \\mid x^{(m)} \\right]',
  Dataset:
    "x' = \\frac{x - \\mu_x}{\\sigma_x}\\ \\text{(z-score scaling of each numeric feature, the default)}",
  Input: 'x \\in \\mathbb{R}^{\\text{batch} \\times n}',
};

/**
 * Lecture section per node type, or per family as 'family:*' (activations use their own registry's
 * source line first).
 */
export const LECTURE_SECTIONS: Readonly<Record<string, string>> = {
  Dataset: 'Standardization (Min-Max scaling, Z-score scaling, ZCA whitening); Modelling example',
  Input: 'Feedforward Neural Network Architecture — Notations',
  Dense: 'Feed-forwards neural networks — Dense Neural networks',
  RBF: 'Radial Basis Function Nets; Learning mechanism (2-steps and 3-steps learning)',
  Maxout: 'Output activation functions (Maxout)',
  Dropout: 'Not in the lecture: Srivastava et al. 2014, "Dropout"',
  BatchNorm: 'Not in the lecture: Ioffe & Szegedy 2015, "Batch Normalization"; compare Standardization',
  Add: 'Exploding and vanishing gradients — Preventing vanishing/exploding gradients (skip-connections)',
  Concat: 'Computational graph (a node with several inputs)',
  'activation:*': 'Classic Activation Operators; Modern Activation Operators',
  'Initializer.zeros': 'How to chose a good initialization (constant initialization does not break symmetry)',
  'Initializer.ones': 'How to chose a good initialization (constant initialization does not break symmetry)',
  'Initializer.constant':
    'How to chose a good initialization (constant initialization does not break symmetry)',
  'Initializer.uniform': 'Does the starting point matter? (XOR study, weights U(−10, 10))',
  'Initializer.normal': 'Does the starting point matter?',
  'Initializer.lecun_normal': 'Initialization of Y. LeCun',
  'Initializer.lecun_uniform': 'Initialization of Y. LeCun',
  'Initializer.glorot_uniform': 'Glorot Initialization',
  'Initializer.glorot_normal': 'Glorot Initialization',
  'Initializer.he_uniform': 'He Initialization',
  'Initializer.he_normal': 'He Initialization',
  'Loss.mse': 'Output activation functions — Regression (ℓ2 loss)',
  'Loss.mae': 'Not in the lecture (ℓ1 loss; compare Output activation functions — Regression)',
  'Loss.huber': 'Not in the lecture: Huber 1964, robust regression',
  'Loss.bce': 'Output activation functions — Binary classification (BCE loss)',
  'Loss.bce_logits': 'Output activation functions — Binary classification (BCE loss)',
  'Loss.cross_entropy': 'Output activation functions — Multi classification (CE loss)',
  'Loss.cross_entropy_logits': 'Output activation functions — Multi classification (CE loss)',
  'Optimizer.sgd': 'Mini-batch gradient descent (Algorithm 1)',
  'Optimizer.momentum': 'SGD with Momentum (Algorithm 2)',
  'Optimizer.nesterov': 'Gradient descent with Nesterov momentum',
  'Optimizer.adagrad': 'Adaptive first order : ADAGRAD',
  'Optimizer.rmsprop': 'RMSProp',
  'Optimizer.adadelta': 'First order methods summary (Adadelta); Zeiler 2012',
  'Optimizer.adam': 'ADAM algorithm',
  'Optimizer.adamw': 'ADAM algorithm; Loshchilov & Hutter 2019 (decoupled weight decay)',
  'Optimizer.cg': 'Second order methods — Conjugate gradient',
  'Optimizer.newton': 'Second order methods — Newton',
  'Optimizer.saddle-free-newton': 'Second order methods — saddle-free versions',
  'Optimizer.bfgs': 'Second order methods — Quasi Newton (BFGS)',
  'Optimizer.lbfgs': 'Second order methods — Quasi Newton (L-BFGS)',
  'Schedule.constant': 'Mini-batch gradient descent — How about the learning rate?',
  'Schedule.linear': 'Adaptive Learning rate — Decreasing the learning rate (linear decrease from α₀ to α_f)',
  'Schedule.step': 'Adaptive Learning rate — Decreasing the learning rate (halve on a fixed schedule)',
  'Schedule.plateau':
    'Adaptive Learning rate — Decreasing the learning rate (halve when validation stops improving)',
  'Schedule.exponential': 'Adaptive Learning rate — Decreasing the learning rate',
  'Schedule.cosine': 'Adaptive Learning rate; Loshchilov & Hutter 2017 (cosine annealing)',
  'Schedule.onecycle': 'Adaptive Learning rate — Increasing learning rate (the 1-cycle policy)',
  'Schedule.sgdr': 'Adaptive Learning rate — Increasing learning rate (SGD with Warm Restart)',
};

/** Practical tips per node type (generated tips from registry facts are added by node-pages.ts). */
export const EXTRA_TIPS: Readonly<Record<string, readonly string[]>> = {
  Dataset: [
    'Choose the CSV and its settings in the Data tab (Open data wizard… in the inspector); the node then knows its feature width and task.',
    'Features are scaled as set in the wizard (z-score by default), which makes every gradient method converge faster.',
  ],
  Input: ['Use it instead of Dataset in a graph that only predicts (exported or prediction-only models).'],
  Dense: [
    'Set Units to auto on the last layer: it becomes the number of classes, 1 for binary BCE, or the number of regression targets.',
    'Unwired Weight init: He for the ReLU family, LeCun for SELU, Glorot otherwise; unwired Bias init: zeros.',
  ],
  RBF: [
    'Centres are placed from the training data before training (K-means++ by default); follow the RBF layer by a Dense layer for the weights w.',
    'Turn Train centres and Train widths off for the lecture’s 2-steps learning; leave them on for 3-steps learning.',
  ],
  Maxout: [
    'Maxout is itself non-linear: do not add an activation after it. k = 2 pieces is the usual choice.',
  ],
  Dropout: [
    'Only active while training; evaluation and predictions use every unit. Typical rates: 0.1–0.5.',
    'Place it after an activation, not after the output layer.',
  ],
  BatchNorm: [
    'Place it between a Dense layer and its activation. With batch size 1 the batch variance is 0: use batches of 8 or more.',
  ],
  Add: [
    'All inputs must have the same width: a skip connection around a Dense layer needs the same number of units.',
  ],
  Concat: ['The output width is the sum of the input widths.'],
  'Activation.identity': ['Use it (or no activation) before MSE, MAE or Huber for regression.'],
  'Activation.binary_step': [
    'Its gradient is 0: a network cannot learn through it. Shown for the lecture’s history of activations.',
  ],
  'Activation.sigmoid': [
    'Output activation for binary classification with BCE. Prefer BCE (from logits) without the sigmoid: same model, numerically stable.',
    'In hidden layers it saturates (ρ′ ≤ 0.25), so gradients vanish in deep networks: prefer ReLU there.',
  ],
  'Activation.tanh': [
    'Zero-centred, so it trains faster than sigmoid in hidden layers; pair it with Glorot initialization.',
  ],
  'Activation.relu': [
    'The default hidden activation. If many units output 0 for every sample ("dead"), lower the learning rate or try Leaky ReLU.',
  ],
  'Activation.leaky_relu': ['A slope of 0.01 is usual; it keeps a small gradient for negative inputs.'],
  'Activation.prelu': ['Adds one learned slope per feature (or one in total when shared).'],
  'Activation.selu': [
    'Pair with LeCun normal initialization and z-scored inputs; avoid BatchNorm and Dropout with it.',
  ],
  'Activation.softmax': [
    'Output activation for multi-class classification with Cross-entropy. Prefer Cross-entropy (from logits) without the softmax: same model, numerically stable.',
  ],
  'Initializer.zeros': [
    'Never for weights: every unit of the layer would stay identical (symmetry is never broken).',
  ],
  'Initializer.ones': [
    'For scale parameters such as BatchNorm’s γ; never for weights (symmetry is never broken).',
  ],
  'Initializer.constant': ['For biases (e.g. a small positive bias before ReLU); never for weights.'],
  'Initializer.normal': [
    'A fixed σ ignores the layer’s fan-in: prefer He, Glorot or LeCun, which scale σ to the layer.',
  ],
  'Initializer.uniform': [
    'The lecture’s XOR study: U(−10, 10) saturates sigmoids and often fails; LeCun normal does not.',
  ],
  'Initializer.he_normal': [
    'Choose it for ReLU-family activations (ReLU, Leaky ReLU, PReLU, ELU, GELU, SiLU).',
  ],
  'Initializer.he_uniform': [
    'Choose it for ReLU-family activations (ReLU, Leaky ReLU, PReLU, ELU, GELU, SiLU).',
  ],
  'Initializer.glorot_uniform': ['Choose it for sigmoid, tanh, softmax or linear layers.'],
  'Initializer.glorot_normal': ['Choose it for sigmoid, tanh, softmax or linear layers.'],
  'Initializer.lecun_normal': ['Choose it for SELU and LeCun’s scaled tanh.'],
  'Loss.mse': [
    'Scale regression targets (wizard: target scaling) when they are large, or the first steps explode.',
  ],
  'Loss.cross_entropy_logits': [
    'The template’s loss: wire the last Dense layer (units auto) straight into Prediction.',
  ],
  'Optimizer.sgd': [
    'Start with α = 0.01–0.1 on scaled data; if the loss goes up or becomes NaN, lower α by 10×.',
  ],
  'Optimizer.momentum': ['β = 0.9 is usual; lower α when raising β (the effective step is about α/(1 − β)).'],
  'Optimizer.adam': ['A robust default: α = 1e-3 (or 3e-4). If the loss plateaus, try a schedule.'],
  'Optimizer.lbfgs': ['For small networks and full-batch training; no learning rate to tune.'],
  'Schedule.plateau': ['Needs a validation split (Data tab) to watch the validation loss.'],
  'Schedule.onecycle': ['Set Duration to the planned number of epochs.'],
};
