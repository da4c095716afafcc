/**
 * Hand-written help pages of the app's panels (condensed from docs/user-guide.md, docs/training.md,
 * docs/data-import.md and docs/export.md): what each panel is for, how to use it, what its controls
 * mean, and common problems.
 *
 * Inline markup inside text (rendered by HelpText.svelte, parsed by help-text.ts): **bold**, `code`,
 * {Key} for a key, [[page-id|text]] for a link to another help page.
 *
 * Invariant: page ids are unique and never start with 'node:' (reserved for generated node pages).
 */

export type HelpBlock =
  | { readonly p: string }
  | { readonly ul: readonly string[] }
  | { readonly table: { readonly head: readonly string[]; readonly rows: readonly (readonly string[])[] } };

export interface HelpSection {
  readonly heading: string;
  readonly blocks: readonly HelpBlock[];
}

export interface PanelHelpPage {
  readonly id: string;
  readonly title: string;
  /** One line under the title (also shown in search results). */
  readonly summary: string;
  readonly sections: readonly HelpSection[];
}

const p = (text: string): HelpBlock => ({ p: text });
const ul = (...items: string[]): HelpBlock => ({ ul: items });

export const PANEL_PAGES: readonly PanelHelpPage[] = [
  {
    id: 'getting-started',
    title: 'Getting started',
    summary: 'Train your first network on your own CSV file in five steps.',
    sections: [
      {
        heading: 'Your first model',
        blocks: [
          ul(
            'On the welcome screen choose **New project**: the template Dataset → Dense (16) → ReLU → Dense (`auto`) → Cross-entropy (from logits) ← Adam.',
            'Open the **Data** tab of the bottom panel, **Choose file…** (or drop a CSV on the window), check the columns and press **Apply import settings**. See [[data-import|Data import wizard]].',
            'The shapes on the wires now resolve, and `auto` units become the number of classes. Fix anything listed in the **Problems** tab.',
            'Open the **Training** tab, set epochs and batch size, press **Start** and watch the charts. See [[training|Training panel]].',
            '**Save** keeps the project with its trained run; **Export…** writes the model for Python or ONNX. See [[export|Export]].',
          ),
        ],
      },
      {
        heading: 'Or start from an example',
        blocks: [
          p(
            'The welcome screen lists the shipped **Examples** (iris, wine, breast cancer, digits, diabetes, XOR, RBF sine, …) with the CSV already loaded; each opens as an untitled copy.',
          ),
        ],
      },
      {
        heading: 'Which output and loss?',
        blocks: [
          {
            table: {
              head: ['Task', 'Last layer', 'Loss'],
              rows: [
                ['Regression', 'Dense (units auto), no activation', '[[node:Loss.mse|MSE]] (or MAE, Huber)'],
                [
                  'Binary classification',
                  'Dense (units auto = 1)',
                  '[[node:Loss.bce_logits|BCE (from logits)]]',
                ],
                [
                  'Multi-class',
                  'Dense (units auto = classes)',
                  '[[node:Loss.cross_entropy_logits|Cross-entropy (from logits)]]',
                ],
              ],
            },
          },
          p(
            'The lecture puts a sigmoid or softmax before BCE or cross-entropy; the "from logits" losses include it, which is the same model and numerically safer.',
          ),
        ],
      },
      {
        heading: 'Where to find help',
        blocks: [
          p(
            'Press {F1} or the **Help** button in the top bar for this guide. In the inspector, **Help for this node** opens the selected node’s page. Type in the search box to find any page or node.',
          ),
        ],
      },
    ],
  },
  {
    id: 'editor',
    title: 'Editor',
    summary: 'Build the network: palette, canvas, inspector, summary and problems.',
    sections: [
      {
        heading: 'Areas of the window',
        blocks: [
          {
            table: {
              head: ['Area', 'What it does'],
              rows: [
                [
                  'Top bar',
                  'New, Open…, Save, Save As…, Export…, Undo, Redo, Auto-layout, Fit, Summary, Help; toggles for the palette, bottom panel and inspector.',
                ],
                [
                  'Palette (left)',
                  'Every node type in seven groups. **Search nodes…** filters (every word must match); drag an item onto the canvas, double-click it, or focus it and press {Enter}.',
                ],
                [
                  'Canvas (centre)',
                  'Nodes with their ports, key parameters and output shape. Drag from an output dot (right) to an input dot (left) to connect.',
                ],
                [
                  'Inspector (right)',
                  'The selected node: description, formula, shapes, name, parameters with their allowed range, a plot for activations, initializers and schedules, and **Help for this node**.',
                ],
                [
                  'Bottom panel',
                  '**Data**, **Summary** (layers, shapes, parameter counts), **Problems**, **Training**.',
                ],
              ],
            },
          },
        ],
      },
      {
        heading: 'Wires and port colours',
        blocks: [
          ul(
            'Tensors (blue) carry activations of shape `[batch, n]`; the wire is labelled with its shape once a CSV is applied.',
            'Targets (teal) go from Dataset to the loss; initializers (grey, dashed) into a layer’s Weight/Bias init; optimizer (green, dashed) into the loss; schedule (purple, dotted) into the optimizer.',
            'A wire that is not allowed is refused with the reason next to the pointer.',
          ),
        ],
      },
      {
        heading: 'Selecting and editing',
        blocks: [
          ul(
            'Click a node; {Shift}-click or {Ctrl}-click adds to the selection; {Shift}-drag on the empty canvas draws a selection box.',
            'A whole drag is one undo step, and so is one parameter edit. A value out of range is refused with the reason and not written.',
            '**Repeat chain**: select a chain such as Dense → ReLU, choose the number of copies; the copies are appended and wired.',
            '**Auto-layout** arranges the graph left to right; **Fit** shows it all.',
          ),
        ],
      },
      {
        heading: 'Common problems',
        blocks: [
          ul(
            'A red badge counts a node’s errors (hover for the first); errors block training, warnings (amber) do not. The **Problems** tab lists them all; click one to select its node.',
            'Shapes show `?`: no CSV is applied yet (Data tab), or a wire is missing before that node.',
            'The network ends with the wrong number of outputs for the loss: set the last Dense layer’s units to `auto`.',
            'All inputs of an Add need the same width.',
            'No loss or no optimizer: every trainable graph needs one loss node with an optimizer wired into its Optimizer port.',
          ),
        ],
      },
    ],
  },
  {
    id: 'data-import',
    title: 'Data import wizard',
    summary: 'Read a CSV, choose roles, types, missing values, scaling and the split.',
    sections: [
      {
        heading: 'How to use it',
        blocks: [
          ul(
            'Open the **Data** tab and press **Choose file…**, or drop a CSV/TSV on the window. The file is read on this computer only.',
            'Check the detected format and the preview; change any column’s settings; read the problems list.',
            '**Apply import settings** stores the choices in the project and loads the data; the Dataset node then knows its width and task.',
          ),
        ],
      },
      {
        heading: 'Controls',
        blocks: [
          {
            table: {
              head: ['Control', 'Meaning'],
              rows: [
                [
                  'Encoding, delimiter, decimal, header',
                  'Detected automatically (Auto shows the detected value); override when the preview looks wrong.',
                ],
                ['Bad rows', 'Stop with an error (default) or skip rows with the wrong number of fields.'],
                ['Role', 'feature, target or ignore. By default the last column is the target.'],
                ['Type', 'auto, numeric or categorical. Categorical features become one-hot inputs.'],
                ['Missing', 'drop-row (default), mean, median, most-frequent, or error.'],
                [
                  'Scaling',
                  'none, min-max, z-score (default for features), or ZCA for all features together; fitted on the training rows only.',
                ],
                ['Task', 'regression, binary or multiclass; detected from the target, with the reason.'],
                [
                  'Split',
                  'train / validation / test fractions (must sum to 1), stratified by class, with a seed.',
                ],
              ],
            },
          },
        ],
      },
      {
        heading: 'Common problems',
        blocks: [
          ul(
            'A spreadsheet (.xlsx, .ods) is refused: export the sheet as CSV first.',
            'Numbers with thousands separators (`1,234.5`) are read as text: remove the separators.',
            'A numeric column became categorical: one cell is text (a typo); the warning names its line and row.',
            'Numeric class labels were taken for regression: set Task to classification.',
            'While an error is listed, **Apply import settings** stays disabled.',
          ),
        ],
      },
    ],
  },
  {
    id: 'training',
    title: 'Training panel',
    summary: 'Run settings, start/pause/step/stop, progress, history and comparison.',
    sections: [
      {
        heading: 'How to use it',
        blocks: [
          p(
            'Apply a dataset first (Data tab) and clear every error in the Problems tab. Then set the run and press **Start**. One run at a time.',
          ),
        ],
      },
      {
        heading: 'Controls',
        blocks: [
          {
            table: {
              head: ['Control', 'Meaning'],
              rows: [
                ['Epochs', 'Passes over the training split.'],
                ['Batch size', 'Rows per gradient step; full-batch is needed for second-order optimizers.'],
                ['Seed', 'Fixes initialization, shuffling and dropout: the same seed repeats a run exactly.'],
                [
                  'Backend',
                  'Auto (WebGPU when available, else CPU), CPU, or WebGPU; an unavailable one says why.',
                ],
                [
                  'CPU threads',
                  'Auto (two for large layers on a machine with two or more cores), or a fixed count. Any count gives the same weights bit for bit; more threads only finish large layers sooner. The web edition needs a cross-origin-isolated page for more than one.',
                ],
                [
                  'Start, Pause, Resume, Step, Stop',
                  'Step runs one batch while paused. Stop keeps the weights reached so far.',
                ],
                ['Progress', 'Batches done, elapsed time (pauses excluded) and the estimated time left.'],
                ['demo stream', 'A synthetic progress stream for trying the charts; it changes nothing.'],
              ],
            },
          },
        ],
      },
      {
        heading: 'What a run leaves in the project',
        blocks: [
          p(
            'A finished or stopped run (and a failed one with usable weights) is added to the project’s runs with its history, final metrics and weights, and the project is marked edited: **Save** keeps it for export.',
          ),
        ],
      },
      {
        heading: 'History',
        blocks: [
          p(
            'The **History** view lists every run of this window. Tick **overlay** to draw an earlier run with the current one; **show** makes it current. **Export history CSV** and **Export comparison CSV** save the numbers.',
          ),
        ],
      },
      {
        heading: 'Common problems',
        blocks: [
          ul(
            'Loss is NaN or grows: lower the learning rate 10×, scale the features (z-score), or add gradient clipping on the optimizer.',
            'Loss does not move: the learning rate is too small, or sigmoid/tanh units saturate (try ReLU and He init).',
            'Training loss falls but validation loss rises: overfitting; use fewer units, Dropout, an L2 penalty, or stop earlier.',
            'The run fails at once: read its message next to the status; usually an error from the Problems tab or no dataset applied.',
          ),
        ],
      },
    ],
  },
  {
    id: 'charts',
    title: 'Charts',
    summary: 'Live loss, metric, learning rate, gradient norms, weight histograms and predictions.',
    sections: [
      {
        heading: 'The charts',
        blocks: [
          {
            table: {
              head: ['Chart', 'What to look for'],
              rows: [
                [
                  'Loss',
                  'Training (solid) and validation (dashed) per epoch; tick log-scale loss for long runs. A widening gap means overfitting.',
                ],
                [
                  'Batch loss',
                  'The loss of each batch: noisy by nature; a steady rise means the learning rate is too high.',
                ],
                ['Accuracy / R²', 'The task’s metric on training and validation.'],
                ['Learning rate', 'The rate each epoch, as set by the optimizer and its schedule.'],
                [
                  'Gradient norms (L2)',
                  'Global and per tensor, log scale: near 0 = vanishing gradients, huge = exploding (clip them).',
                ],
                ['Weight histograms', 'One column per epoch for a chosen tensor; darker = more weights.'],
                [
                  'Predictions',
                  'Confusion matrix (classification), ROC curve with AUC (binary), predicted vs actual with R² (regression), on the validation split.',
                ],
              ],
            },
          },
          p('Every chart has **PNG** and **SVG** buttons. Colours follow the light or dark theme.'),
        ],
      },
    ],
  },
  {
    id: 'experiments',
    title: 'Experiments',
    summary: 'The lecture’s XOR initialization study and the optimizer comparison.',
    sections: [
      {
        heading: 'Repeat with N seeds (XOR)',
        blocks: [
          p(
            'A 2-4-1 sigmoid network with BCE, SGD with momentum 0.99, α = 0.1, 1000 epochs, trained from weights U(−10, 10) and from LeCun N(0, 1/fan_in). Set **Seeds** and **First seed**, press **Run XOR study**. It shows failures per initialization, the final BCE distribution and a per-seed table (**Export CSV**).',
          ),
        ],
      },
      {
        heading: 'Compare optimizers',
        blocks: [
          p(
            'The lecture’s two-parameter regression: SGD, momentum β = 0.6 and Nesterov β = 0.8 paths over the MSE surface from θ₀ = [10, 5], with the least-squares solution. **Export contour PNG** saves the picture.',
          ),
        ],
      },
      {
        heading: 'Where',
        blocks: [
          p('Training tab → **Experiments** view. Both run in the background; the window stays responsive.'),
        ],
      },
    ],
  },
  {
    id: 'export',
    title: 'Export',
    summary: 'Write the trained model as JSON, safetensors, ONNX or a PyTorch script.',
    sections: [
      {
        heading: 'How to use it',
        blocks: [
          p(
            'Train first, then **Export…** in the top bar ({Ctrl+E}). Choose a format; the latest trained run of the project is exported with its preprocessing.',
          ),
          {
            table: {
              head: ['Format', 'What you get'],
              rows: [
                ['JSON weights', 'Weights, graph, preprocessing and class labels in one readable file.'],
                ['safetensors', 'The weights, named and laid out as PyTorch expects.'],
                ['ONNX', 'Opset 17 model: raw CSV columns in, probabilities/labels or values out.'],
                [
                  'PyTorch script',
                  '`model.py` + `model.safetensors`: an nn.Module with predict and train (two saves).',
                ],
              ],
            },
          },
        ],
      },
      {
        heading: 'Common problems',
        blocks: [
          ul(
            'Export is disabled: the project has no trained run yet. Train, then export (or Save first to keep the run).',
            'A format cannot represent a node: the message names the node and what to change.',
          ),
        ],
      },
    ],
  },
  {
    id: 'shortcuts',
    title: 'Keyboard shortcuts',
    summary: 'Every key of the editor and the Help window.',
    sections: [
      {
        heading: 'Editor',
        blocks: [
          {
            table: {
              head: ['Keys', 'Action'],
              rows: [
                ['{F1}', 'Open this Help (Help → User Guide).'],
                ['{Tab} / {Shift+Tab}', 'Move between controls; the focused control is outlined.'],
                ['{Enter} on a palette item', 'Add that node at the centre of the canvas.'],
                ['{Esc}', 'Clear the palette search / clear the selection / close Help.'],
                ['{Delete}, {Backspace}', 'Delete the selected nodes and wires.'],
                ['{Ctrl+Z}, {Shift+Ctrl+Z} or {Ctrl+Y}', 'Undo, redo.'],
                ['{Ctrl+C}, {Ctrl+X}, {Ctrl+V}, {Ctrl+D}', 'Copy, cut, paste, duplicate.'],
                ['{Ctrl+A}', 'Select all nodes.'],
                [
                  '{Ctrl+S}, {Shift+Ctrl+S}, {Ctrl+O}, {Ctrl+N}, {Ctrl+E}',
                  'Save, Save As, Open, New, Export.',
                ],
                ['{Ctrl+=}, {Ctrl+-}, {Ctrl+0}, {Ctrl+1}', 'Zoom in, out, reset, fit.'],
                [
                  '{Ctrl+Shift+P}, {Ctrl+Shift+I}, {Ctrl+J}',
                  'Show or hide the palette, inspector, bottom panel.',
                ],
              ],
            },
          },
          p(
            'On macOS use {Cmd} instead of {Ctrl}. In the web edition, where the browser keeps {Ctrl+N} and {Ctrl+W}: {Alt+Shift+N} (New), {Alt+Shift+O} (Open), {Alt+Shift+S} (Save).',
          ),
        ],
      },
      {
        heading: 'Help window',
        blocks: [
          {
            table: {
              head: ['Keys', 'Action'],
              rows: [
                ['{↑} / {↓} in the contents', 'Previous / next page; {Home} / {End}: first / last.'],
                ['{Enter} in the search box', 'Open the first result.'],
                ['{Esc}', 'Close Help.'],
              ],
            },
          },
        ],
      },
    ],
  },
];
