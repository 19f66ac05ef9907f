<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Glossary</name>
    <message>
        <location filename="../widgets/src/glossary.cpp" line="+25"/>
        <source>Point</source>
        <translation>点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Threshold ε (epsilon)</source>
        <translation>阈值 ε（epsilon）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory overhead</source>
        <translation>内存开销</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MAC overhead</source>
        <translation>MAC 开销</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Effective bits</source>
        <translation>有效位数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>One low-bit copy of a channel&apos;s weights with its own scale. Multipoint quantization sums several points per channel: one point is plain round-to-nearest, each extra point removes more of the rounding error and costs that channel&apos;s weights once more.</source>
        <translation>通道权重的一份低位宽副本，带有自己的缩放因子。多点量化对每个通道累加若干个点：一个点就是普通的就近取整，每多一个点就消除更多的取整误差，并再付出该通道权重一次的代价。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The threshold rule&apos;s target: each channel gets the fewest points whose relative output error is at most ε. A smaller ε means more points and more cost.</source>
        <translation>阈值规则的目标：每个通道取相对输出误差不超过 ε 的最少点数。ε 越小，点越多，代价越高。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The budget rule&apos;s limit: the extra memory (or MACs) the extra points may cost, as a percentage of the model at the chosen bits. Points go first where they remove the most error per unit of cost.</source>
        <translation>预算规则的上限：额外的点可以花费的额外内存（或 MAC），以所选位宽下模型的百分比表示。点优先分配到每单位代价消除误差最多的地方。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The extra weight storage of the allocation (extra points, layers kept float or at other bits) as a percentage of all quantizable weights at the chosen bits.</source>
        <translation>该分配额外占用的权重存储（额外的点、保持浮点或其他位宽的层），以所选位宽下全部可量化权重的百分比表示。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The extra multiply-accumulate operations of the extra points, as a percentage of all MACs of the quantizable layers. Layers kept float are shown apart.</source>
        <translation>额外的点带来的额外乘加运算，以可量化层全部 MAC 的百分比表示。保持浮点的层单独显示。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The stored bits per weight, the points&apos; scales included: the bits of every point and scale divided by the number of weights.</source>
        <translation>每个权重存储的位数，包括各点的缩放因子：所有点和缩放因子的位数除以权重个数。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signal-to-quantization-noise ratio: −10 log10 of the relative output error, in dB. Higher is better; each extra 10 dB is ten times less error.</source>
        <translation>信号量化噪声比：相对输出误差的 −10 log10，单位 dB。越高越好；每多 10 dB 误差减少为十分之一。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The squared error the quantized weights add to a layer&apos;s outputs on the calibration images, divided by the squared outputs (their signal).</source>
        <translation>量化权重在校准图像上给某层输出带来的平方误差，除以输出的平方（其信号）。</translation>
    </message>
</context>
<context>
    <name>NumberFormat</name>
    <message>
        <location filename="../widgets/src/numberformat.cpp" line="+12"/>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 b</source>
        <translation>%1 位</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>inf dB</source>
        <translation>∞ dB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../widgets/src/figureexport.cpp" line="+53"/>
        <source>: cannot draw the SVG</source>
        <translation>：无法绘制 SVG</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>: cannot write in this folder</source>
        <translation>：无法写入此文件夹</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>: choose a .png, .svg or .pdf file name</source>
        <translation>：请选择 .png、.svg 或 .pdf 文件名</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>: cannot render the plot</source>
        <translation>：无法渲染图表</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+6"/>
        <source>Export plot</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+7"/>
        <source>Export table</source>
        <translation>导出表格</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export plot...</source>
        <translation>导出图表...</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export table as CSV...</source>
        <translation>将表格导出为 CSV...</translation>
    </message>
    <message>
        <location filename="../widgets/src/graphhelpers.cpp" line="+50"/>
        <source>Points per channel</source>
        <translation>每通道点数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Relative output error</source>
        <translation>相对输出误差</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SQNR (dB)</source>
        <translation>SQNR（dB）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory overhead</source>
        <translation>内存开销</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One-point error</source>
        <translation>单点误差</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>inf dB</source>
        <translation>∞ dB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> dB</source>
        <translation> dB</translation>
    </message>
    <message>
        <location filename="../widgets/src/graphcolour.cpp" line="+240"/>
        <source>F: float</source>
        <translation>F：浮点</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/studio/main.cpp" line="+28"/>
        <source>Multipoint post-training quantization, interactively.</source>
        <translation>交互式多点训练后量化。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>TorchScript model or project (.mpqproj) to open.</source>
        <translation>要打开的 TorchScript 模型或项目 (.mpqproj)。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Folder of calibration images for the model.</source>
        <translation>模型的校准图像文件夹。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open the built-in demo model.</source>
        <translation>打开内置的演示模型。</translation>
    </message>
</context>
<context>
    <name>mpq::studio::EvaluationJobs</name>
    <message>
        <location filename="../app/studio/evaluationjobs.cpp" line="+105"/>
        <source>evaluating</source>
        <translation>正在评估</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>mAP@0.5 vs float</source>
        <translation>mAP@0.5（相对浮点）</translation>
    </message>
    <message numerus="yes">
        <location line="-37"/>
        <source>%n layers at %1 bits</source>
        <translation>
            <numerusform>%n 层为 %1 位</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>expand ratio %1</source>
        <translation>扩展比例 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>all layers at %1 bits</source>
        <translation>所有层为 %1 位</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Top-1 accuracy</source>
        <translation>Top-1 准确率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-1 agreement with float</source>
        <translation>与浮点模型的 Top-1 一致率</translation>
    </message>
</context>
<context>
    <name>mpq::studio::ExportDialog</name>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="+31"/>
        <source>Export the quantized model</source>
        <translation>导出量化模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fake-quant TorchScript (original architecture)</source>
        <translation>伪量化 TorchScript（原始架构）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expanded TorchScript (common operands)</source>
        <translation>展开的 TorchScript（通用算子）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Integer package (int8 rows, scales, manifest)</source>
        <translation>整数包（int8 行、缩放因子、清单）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Report (JSON and CSV)</source>
        <translation>报告（JSON 和 CSV）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fake-quant ONNX (original graph)</source>
        <translation>伪量化 ONNX（原始计算图）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QDQ ONNX (int8 weights, deployable)</source>
        <translation>QDQ ONNX（int8 权重，可部署）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>ONNX export needs an ONNX source model</source>
        <translation>ONNX 导出需要 ONNX 源模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reload and verify the TorchScript exports</source>
        <translation>重新加载并验证导出的 TorchScript</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Runs each written model beside the in-app quantized model on the calibration images and reports the largest difference</source>
        <translation>在校准图像上将每个导出的模型与应用内的量化模型并行运行，并报告最大差异</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Formats</source>
        <translation>格式</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export to folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Writes</source>
        <translation>将写入</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Cancelled. Files finished before the cancel stay; nothing half-written is left.</source>
        <translation>已取消。取消前已完成的文件会保留，不会留下写了一半的文件。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>choose at least one format</source>
        <translation>请至少选择一种格式</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Written</source>
        <translation>已写入</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Cost:</source>
        <translation>代价：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>memory overhead %1, MAC overhead %2, effective bits %3</source>
        <translation>内存开销 %1，MAC 开销 %2，有效位数 %3</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>; %n layer(s) kept float (%1 of the MACs, run in float, not charged)</source>
        <translation>
            <numerusform>；%n 个层保持浮点（占 MAC 的 %1，以浮点运行，不计入）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>; no layer kept float</source>
        <translation>；没有保持浮点的层</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Verification passed: the largest relative difference from the in-app model is %1 (limit 1e-4).</source>
        <translation>验证通过：与应用内模型的最大相对差异为 %1（上限 1e-4）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Verification failed&lt;/b&gt;: the largest relative difference from the in-app model is %1 (limit 1e-4).</source>
        <translation>&lt;b&gt;验证失败&lt;/b&gt;：与应用内模型的最大相对差异为 %1（上限 1e-4）。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The export failed.</source>
        <translation>导出失败。</translation>
    </message>
</context>
<context>
    <name>mpq::studio::ExportJobs</name>
    <message>
        <location filename="../app/studio/exportjobs.cpp" line="+23"/>
        <source>verified on %1 images: largest relative difference %2</source>
        <translation>已在 %1 张图像上验证：最大相对差异 %2</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>not verified</source>
        <translation>未验证</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>writing the fake-quant TorchScript</source>
        <translation>正在写入伪量化 TorchScript</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>writing the expanded TorchScript</source>
        <translation>正在写入展开的 TorchScript</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>writing the fake-quant ONNX model</source>
        <translation>正在写入伪量化 ONNX 模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>writing the QDQ ONNX model</source>
        <translation>正在写入 QDQ ONNX 模型</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>; runs %1 % more MACs than the float model</source>
        <translation>；比浮点模型多运行 %1 % 的 MAC</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>; extra MACs run %1 %, predicted %2 %</source>
        <translation>；额外 MAC 实测 %1%，预测 %2%</translation>
    </message>
    <message>
        <location line="-57"/>
        <source>writing the integer package</source>
        <translation>正在写入整数包</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>folder, see docs/integer-package.md</source>
        <translation>文件夹，参见 docs/integer-package.md</translation>
    </message>
    <message>
        <location line="-62"/>
        <source>writing the report</source>
        <translation>正在写入报告</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>per-layer table and totals</source>
        <translation>逐层表格及总计</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the same as CSV</source>
        <translation>同上，CSV 格式</translation>
    </message>
</context>
<context>
    <name>mpq::studio::JobProgressWidget</name>
    <message>
        <location filename="../app/studio/jobprogresswidget.cpp" line="+28"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel the running job (Esc)</source>
        <translation>取消正在运行的任务（Esc）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>00:00 left</source>
        <translation>剩余 00:00</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1, %2 %</source>
        <translation>%1，%2%</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1:%2 left</source>
        <translation>剩余 %1:%2</translation>
    </message>
</context>
<context>
    <name>mpq::studio::LayerChangeModel</name>
    <message>
        <location filename="../app/studio/rundiffwindow.cpp" line="+98"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points A → B</source>
        <translation>点数 A → B</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Relative error A → B</source>
        <translation>相对误差 A → B</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory change</source>
        <translation>内存变化</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SQNR change</source>
        <translation>SQNR 变化</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1: points %2 → %3, relative error %4 → %5, cost %6 bits</source>
        <translation>%1：点数 %2 → %3，相对误差 %4 → %5，代价 %6 位</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>only in A</source>
        <translation>仅在 A 中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>only in B</source>
        <translation>仅在 B 中</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> pp</source>
        <translation> 个百分点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> dB</source>
        <translation> dB</translation>
    </message>
</context>
<context>
    <name>mpq::studio::LayersPanel</name>
    <message>
        <location filename="../app/studio/layerspanel.cpp" line="+25"/>
        <source>Filter layers (Ctrl+F), e.g. layer1*conv</source>
        <translation>筛选层（Ctrl+F），例如 layer1*conv</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>Fixed points</source>
        <translation>固定点数</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n point(s) per channel</source>
        <translation>
            <numerusform>每通道 %n 个点</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Other bits</source>
        <translation>其他位宽</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 bits</source>
        <translation>%1 位</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Runs the calibration images again for this layer</source>
        <translation>为此层重新运行校准图像</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep float</source>
        <translation>保持浮点</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Clear override</source>
        <translation>清除覆盖设置</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export table as CSV…</source>
        <translation>将表格导出为 CSV…</translation>
    </message>
</context>
<context>
    <name>mpq::studio::MainWindow</name>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="+97"/>
        <location line="+375"/>
        <source>MPQ Studio</source>
        <translation>MPQ Studio</translation>
    </message>
    <message>
        <location line="-373"/>
        <source>Cancelled; nothing changed.</source>
        <translation>已取消；未做任何更改。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Evaluation failed: %1</source>
        <translation>评估失败：%1</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindowmenus.cpp" line="+31"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the &amp;demo detector</source>
        <translation>打开演示检测器(&amp;D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit model &amp;profile…</source>
        <translation>编辑模型配置(&amp;P)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Sensitivity</source>
        <translation>敏感度(&amp;S)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Allocation</source>
        <translation>分配(&amp;A)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Channels</source>
        <translation>通道(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>C&amp;ompare</source>
        <translation>比较(&amp;O)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Graph</source>
        <translation>计算图(&amp;G)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Filter layers</source>
        <translation>筛选层(&amp;F)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Analysis</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Analyze</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindowruns.cpp" line="+30"/>
        <source>&amp;Pin this run…</source>
        <translation>固定此次运行(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindowmenus.cpp" line="+6"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Glossary</source>
        <translation>术语表(&amp;G)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;About MPQ Studio</source>
        <translation>关于 MPQ Studio(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="+28"/>
        <source>Models (*.pt *.pth *.torchscript *.onnx);;TorchScript (*.pt *.pth *.torchscript);;ONNX (*.onnx);;All files (*)</source>
        <translation>模型 (*.pt *.pth *.torchscript *.onnx);;TorchScript (*.pt *.pth *.torchscript);;ONNX (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindowruns.cpp" line="+48"/>
        <source>Analyze the model first: there is no allocation to pin.</source>
        <translation>请先分析模型：没有可固定的分配。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The allocation is being recomputed for the new analysis.</source>
        <translation>正在为新的分析重新计算分配。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The allocation shown does not match the settings (being recomputed or refused).</source>
        <translation>显示的分配与当前设置不符（正在重新计算或已被拒绝）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Wait until the running job ends: it may change the allocation.</source>
        <translation>请等待正在运行的任务结束：它可能会改变分配。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Keep the current allocation as a named run</source>
        <translation>将当前分配保存为一个命名的运行</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Preview not evaluated for this run: its predictions are not compared.</source>
        <translation>此运行未在预览中评估：不会比较其预测。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Pin this run</source>
        <translation>固定此次运行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name of the run:</source>
        <translation>运行名称：</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Pinned the run &quot;%1&quot;.</source>
        <translation>已固定运行“%1”。</translation>
    </message>
    <message>
        <location line="-86"/>
        <location line="+98"/>
        <source>current state</source>
        <translation>当前状态</translation>
    </message>
    <message>
        <location filename="../app/studio/aboutbox.cpp" line="+20"/>
        <source>About MPQ Studio</source>
        <translation>关于 MPQ Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;MPQ Studio %1&lt;/b&gt;&lt;p&gt;Multipoint post-training quantization: per-channel points allocated from measured output errors (Liu et al., AAAI 2021).&lt;/p&gt;&lt;p&gt;Qt %2, LibTorch %3, OpenCV %4, QCustomPlot %5&lt;/p&gt;</source>
        <translation>&lt;b&gt;MPQ Studio %1&lt;/b&gt;&lt;p&gt;多点训练后量化：根据实测的输出误差为每个通道分配点数（Liu 等，AAAI 2021）。&lt;/p&gt;&lt;p&gt;Qt %2，LibTorch %3，OpenCV %4，QCustomPlot %5&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Glossary — MPQ Studio</source>
        <translation>术语表 — MPQ Studio</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="-1"/>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Opening %1</source>
        <translation>正在打开 %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Unreadable model profile</source>
        <translation>无法读取模型配置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1

Replace it with a new profile?</source>
        <translation>%1

是否用新配置替换？</translation>
    </message>
    <message>
        <location line="+50"/>
        <location line="+37"/>
        <source>Loaded the cached analysis for these settings.</source>
        <translation>已加载这些设置的缓存分析结果。</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Nothing to analyze</source>
        <translation>没有可分析的内容</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open a model first (Ctrl+O).</source>
        <translation>请先打开一个模型（Ctrl+O）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No calibration images</source>
        <translation>没有校准图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a folder of calibration images in the Settings panel.</source>
        <translation>请在“设置”面板中选择校准图像文件夹。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: no such folder</source>
        <translation>%1：文件夹不存在</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Analyzing</source>
        <translation>正在分析</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Analysis finished in %1 s.</source>
        <translation>分析完成，用时 %1 秒。</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>Wait for the running job, or cancel it (Esc).</source>
        <translation>请等待正在运行的任务完成，或将其取消（Esc）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Curves of %1 at %2 bits</source>
        <translation>%1 在 %2 位下的曲线</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 — %2 memory, %3 — MPQ Studio</source>
        <translation>%1 — 内存 %2，%3 — MPQ Studio</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 — MPQ Studio</source>
        <translation>%1 — MPQ Studio</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindowmenus.cpp" line="+55"/>
        <source>Calibration images: %1</source>
        <translation>校准图像：%1</translation>
    </message>
</context>
<context>
    <name>mpq::studio::OutputActions</name>
    <message>
        <location filename="../app/studio/outputactions.cpp" line="+47"/>
        <source>&amp;Export quantized model…</source>
        <translation>导出量化模型(&amp;E)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export &amp;plot…</source>
        <translation>导出图表(&amp;P)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export plot</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The current page shows no plot yet.</source>
        <translation>当前页面尚无图表。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export &amp;layers table as CSV…</source>
        <translation>将层表格导出为 CSV(&amp;L)…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>epsilon %1</source>
        <translation>epsilon %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a %1 %2 budget</source>
        <translation>%1 的%2预算</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MAC</source>
        <translation>MAC</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> with %n override(s)</source>
        <translation>
            <numerusform>，含 %n 项覆盖设置</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 at %2 bits</source>
        <translation>%1，%2 位</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>, on the test images in %1</source>
        <translation>，基于 %1 中的测试图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, on the calibration images</source>
        <translation>，基于校准图像</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Analyze the model first: the export writes the current allocation.</source>
        <translation>请先分析模型：导出会写入当前的分配结果。</translation>
    </message>
</context>
<context>
    <name>mpq::studio::PreferencesDialog</name>
    <message>
        <location filename="../app/studio/preferencesdialog.cpp" line="+50"/>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> bits</source>
        <translation> 位</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>all cores but one</source>
        <translation>除一个核心外的全部核心</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>keep nothing</source>
        <translation>不保留</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Finished analyses are kept on disk (shared with the mpq command), so the same model with the same settings and images is analysed once. The least recently used go first when the cache would exceed this size.</source>
        <translation>完成的分析保存在磁盘上（与 mpq 命令共用），因此同一模型在相同设置和图像下只分析一次。缓存将超过此大小时，最久未使用的分析最先删除。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Default bits</source>
        <translation>默认位数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default max points</source>
        <translation>默认最大点数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Worker threads</source>
        <translation>工作线程数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Analysis cache limit</source>
        <translation>分析缓存上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The language applies at the next start.</source>
        <translation>语言将在下次启动时生效。</translation>
    </message>
</context>
<context>
    <name>mpq::studio::PreviewController</name>
    <message>
        <location filename="../app/studio/previewrundiff.cpp" line="+24"/>
        <source>A: %1 %2 % → B: %3 %4 %</source>
        <translation>A：%1 %2 % → B：%3 %4 %</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n detection(s) lost</source>
        <translation>
            <numerusform>丢失 %n 个检测</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n added</source>
        <translation>
            <numerusform>新增 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n moved</source>
        <translation>
            <numerusform>移动 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A → B: %1</source>
        <translation>A → B：%1</translation>
    </message>
    <message>
        <location filename="../app/studio/previewcontroller.cpp" line="+64"/>
        <source>%1 %2 %</source>
        <translation>%1 %2%</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+4"/>
        <source>Evaluation failed: %1</source>
        <translation>评估失败：%1</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>The sweep failed: %1</source>
        <translation>扫描失败：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The comparison was cancelled.</source>
        <translation>比较已取消。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The sweep was cancelled.</source>
        <translation>扫描已取消。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The comparison was interrupted by a newer evaluation.</source>
        <translation>比较被更新的评估中断。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The sweep was interrupted by a newer evaluation.</source>
        <translation>扫描被更新的评估中断。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The explanation failed: %1</source>
        <translation>解释失败：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The explanation was cancelled.</source>
        <translation>解释已取消。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Evaluating the preview for the new model or analysis...</source>
        <translation>正在为新的模型或分析评估预览...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The model profile changed: the preview is evaluated again with it.</source>
        <translation>模型配置已更改：将据此重新评估预览。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose a folder of sample images in the Settings panel to preview the model&apos;s predictions.</source>
        <translation>请在“设置”面板中选择示例图像文件夹，以预览模型的预测结果。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run the analysis: the Preview then shows what the float and the quantized model say about the sample images at the current setting.</source>
        <translation>请先运行分析：预览随后会显示在当前设置下浮点模型和量化模型对示例图像的预测。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>waiting for %1</source>
        <translation>正在等待 %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Evaluating the preview</source>
        <translation>正在评估预览</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Comparing the methods at %1...</source>
        <translation>正在以 %1 比较各方法...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Comparing methods</source>
        <translation>正在比较方法</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Sweeping %1...</source>
        <translation>正在扫描 %1...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sweeping budgets</source>
        <translation>正在扫描预算</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>memory budgets %1 at %2 bits</source>
        <translation>内存预算 %1，%2 位</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> with %n override(s)</source>
        <translation>
            <numerusform>，含 %n 个覆盖设置</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, on the test images in %1</source>
        <translation>，基于 %1 中的测试图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, on the calibration images</source>
        <translation>，基于校准图像</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The model or its analysis changed: Run sweep to measure every method on it.</source>
        <translation>模型或其分析已更改：点击“运行扫描”在其上测量每种方法。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run the analysis, then Run sweep: every method is measured on the sample images at memory budgets from 0 to 50 %, one curve per method.</source>
        <translation>先运行分析，然后点击“运行扫描”：在内存预算 0 到 50 % 下用样例图像测量每种方法，每种方法一条曲线。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Out of date: the model profile changed since this sweep of %1. Run sweep to update it.</source>
        <translation>已过期：自 %1 的这次扫描以来模型配置已更改。点击“运行扫描”更新。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Out of date: this sweep is for %1; the images or overrides have changed since. Run sweep to update it.</source>
        <translation>已过期：此扫描针对 %1；此后图像或覆盖设置已更改。点击“运行扫描”更新。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sweep for %1</source>
        <translation>%1 的扫描</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 The sweep shown is for %2.</source>
        <translation>%1 显示的扫描针对 %2。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 Run sweep to start it again.</source>
        <translation>%1 点击“运行扫描”重新开始。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The model or its analysis changed: Run comparison to measure every method on it.</source>
        <translation>模型或其分析已更改：点击“运行比较”在其上测量每种方法。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run the analysis, then Run comparison: every method is measured on the sample images at the same memory overhead.</source>
        <translation>先运行分析，然后点击“运行比较”：在相同内存开销下用样例图像测量每种方法。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Out of date: the model profile changed since these figures for %1. Run comparison to update them.</source>
        <translation>已过期：自 %1 的这些数据以来模型配置已更改。点击“运行比较”更新。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Out of date: these figures are for %1; the current setting is %2. Run comparison to update them.</source>
        <translation>已过期：这些数据针对 %1；当前设置为 %2。点击“运行比较”更新。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Figures for %1</source>
        <translation>%1 的数据</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 The figures shown are for %2.</source>
        <translation>%1 显示的数据针对 %2。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 Run comparison to start it again.</source>
        <translation>%1 点击“运行比较”重新开始。</translation>
    </message>
    <message>
        <location filename="../app/studio/previewexplain.cpp" line="+42"/>
        <source>Explaining %1 at %2...</source>
        <translation>正在 %2 下解释 %1...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Explaining the prediction</source>
        <translation>正在解释预测</translation>
    </message>
    <message numerus="yes">
        <location line="+43"/>
        <source>Apply the explanation&apos;s %n override(s)</source>
        <translation>
            <numerusform>应用解释给出的 %n 个覆盖设置</numerusform>
        </translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Raise the budget to %1 and apply</source>
        <translation>将预算提高到 %1 并应用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Under the budget rule the pins are charged first, so other layers lose points to pay for them and the image may still differ. This raises the budget from %1 by what the set costs, to %2, and sets the overrides: one step, Edit &gt; Undo reverts both.</source>
        <translation>在预算规则下，固定项先计入预算，其他层会因此失去点数，图像可能仍然不同。此操作将预算从 %1 按该集合的代价提高到 %2，并设置覆盖：一步完成，编辑 &gt; 撤销可同时恢复两者。</translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source>Raise the budget to %1 and apply the explanation&apos;s %n override(s)</source>
        <translation>
            <numerusform>将预算提高到 %1 并应用解释的 %n 项覆盖</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Applied as overrides with the budget raised from %1 to %2 (one step: Edit &gt; Undo reverts both).</source>
        <translation>已作为覆盖应用，预算从 %1 提高到 %2（一步：编辑 &gt; 撤销可同时恢复两者）。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Checked on the Preview: %1 still differs from the float prediction (other layers paid for the pins).</source>
        <translation>已在预览中检查：%1 仍与浮点预测不同（其他层为固定项付出了代价）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checked on the Preview: %1 still differs from the float prediction.</source>
        <translation>已在预览中检查：%1 仍与浮点预测不同。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checked on the Preview: %1 gives the float prediction again.</source>
        <translation>已在预览中检查：%1 再次给出浮点预测。</translation>
    </message>
    <message>
        <location filename="../app/studio/previewrundiff.cpp" line="+66"/>
        <source>Predictions are not compared: both runs must be evaluated on the Preview page.</source>
        <translation>未比较预测：两次运行都必须在预览页上评估过。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Out of date: B was the current state when marked; the allocation has changed since.</source>
        <translation>已过时：标记时 B 为当前状态；此后分配已更改。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The runs are of different models.</source>
        <translation>这些运行属于不同的模型。</translation>
    </message>
    <message>
        <location filename="../app/studio/previewexplain.cpp" line="+16"/>
        <source>The model or its analysis changed: the explanation was removed.</source>
        <translation>模型或其分析已更改：解释已移除。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Out of date: the allocation changed since this explanation.</source>
        <translation>已过期：自此解释以来分配已更改。</translation>
    </message>
</context>
<context>
    <name>mpq::studio::ProfileDialog</name>
    <message>
        <location filename="../app/studio/profiledialog.cpp" line="+60"/>
        <source>Model profile: %1</source>
        <translation>模型配置：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detection</source>
        <translation>检测</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RGB</source>
        <translation>RGB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BGR</source>
        <translation>BGR</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gray</source>
        <translation>灰度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stretch</source>
        <translation>拉伸</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Letterbox</source>
        <translation>信箱式填充</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Centre crop</source>
        <translation>中心裁剪</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NCHW (channels first)</source>
        <translation>NCHW（通道在前）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NHWC (channels last)</source>
        <translation>NHWC（通道在后）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the model takes its input batch: channels first (PyTorch) or channels last (as TensorFlow models converted to ONNX take it)</source>
        <translation>模型接收输入批次的方式：通道在前（PyTorch）或通道在后（转换为 ONNX 的 TensorFlow 模型采用这种方式）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>One value per channel, after scaling, comma-separated</source>
        <translation>每个通道一个值（缩放后），以逗号分隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One value per channel, all &gt; 0, comma-separated</source>
        <translation>每个通道一个值，均须 &gt; 0，以逗号分隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logits</source>
        <translation>Logits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Probabilities</source>
        <translation>概率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CenterNet heatmaps</source>
        <translation>CenterNet 热力图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Boxes and scores</source>
        <translation>边界框和得分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>YOLO</source>
        <translation>YOLO</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Torchvision detection</source>
        <translation>Torchvision 检测</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One class name per line (optional)</source>
        <translation>每行一个类别名称（可选）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This model has no profile yet: say how to feed it images and how to read its output. The values below are guesses from the model; it is saved as %1.</source>
        <translation>此模型尚无配置：请说明如何向其输入图像以及如何解读其输出。以下数值是根据模型推测的；配置将保存为 %1。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Task:</source>
        <translation>任务(&amp;T)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Input &amp;width:</source>
        <translation>输入宽度(&amp;W)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Input &amp;height:</source>
        <translation>输入高度(&amp;H)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Colour order:</source>
        <translation>颜色顺序(&amp;C)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Resize:</source>
        <translation>缩放方式(&amp;R)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Layout:</source>
        <translation>数据布局(&amp;L)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Scale:</source>
        <translation>缩放系数(&amp;S)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Mean:</source>
        <translation>均值(&amp;M)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;td:</source>
        <translation>标准差(&amp;T)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Decoder:</source>
        <translation>解码器(&amp;D)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Labels:</source>
        <translation>标签(&amp;L)：</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Mean and std need numbers separated by commas.</source>
        <translation>均值和标准差需要以逗号分隔的数字。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
</context>
<context>
    <name>mpq::studio::Project</name>
    <message>
        <location filename="../app/studio/projectfile.cpp" line="+253"/>
        <source>%1 was moved or deleted</source>
        <translation>%1 已被移动或删除</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 changed since the project was saved (its SHA-256 differs); the saved analysis no longer applies</source>
        <translation>%1 在项目保存后已更改（SHA-256 不同）；已保存的分析不再适用</translation>
    </message>
</context>
<context>
    <name>mpq::studio::ProjectActions</name>
    <message>
        <location filename="../app/studio/projectactions.cpp" line="+46"/>
        <source>Autosave failed: %1</source>
        <translation>自动保存失败：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open p&amp;roject…</source>
        <translation>打开项目(&amp;R)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+82"/>
        <location line="+6"/>
        <location line="+23"/>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location line="-110"/>
        <location line="+11"/>
        <source>MPQ Studio projects (*.mpqproj)</source>
        <translation>MPQ Studio 项目 (*.mpqproj)</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+46"/>
        <location line="+12"/>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>&amp;Save project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Open a model first.</source>
        <translation>请先打开一个模型。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The saved analysis was not used: %1</source>
        <translation>未使用已保存的分析：%1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Recover the last session?</source>
        <translation>是否恢复上次会话？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MPQ Studio did not close cleanly. Restore the project you were working on (%1)?</source>
        <translation>MPQ Studio 上次未正常关闭。是否恢复您之前正在处理的项目（%1）？</translation>
    </message>
</context>
<context>
    <name>mpq::studio::RunDiffWindow</name>
    <message>
        <location filename="../app/studio/rundiffwindow.cpp" line="-123"/>
        <source>float</source>
        <translation>浮点</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>class %1</source>
        <translation>类别 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>%n box(es)</source>
        <translation>
            <numerusform>%n 个框</numerusform>
        </translation>
    </message>
    <message>
        <location line="+145"/>
        <source>Diff of two runs</source>
        <translation>两次运行的差异</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+10"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+10"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>B − A</source>
        <translation>B − A</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Double-click an image to see both predictions drawn on it</source>
        <translation>双击图像以查看绘制在图像上的两个预测</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Both runs on the trade-off</source>
        <translation>两次运行在权衡曲线上的位置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total relative output error (sum over layers)</source>
        <translation>总相对输出误差（各层之和）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory overhead (%)</source>
        <translation>内存开销（%）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Changed layers, largest change first (red: more error or more memory; green: less)</source>
        <translation>变化的层，变化最大的在前（红色：误差或内存增加；绿色：减少）</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>%1 is no longer where the runs evaluated it.</source>
        <translation>%1 已不在运行评估它时所在的位置。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Diff: %1 ↔ %2</source>
        <translation>差异：%1 ↔ %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;A&lt;/b&gt;: %1 &lt;i&gt;(%2)&lt;/i&gt; &amp;nbsp; &lt;b&gt;B&lt;/b&gt;: %3 &lt;i&gt;(%4)&lt;/i&gt;</source>
        <translation>&lt;b&gt;A&lt;/b&gt;：%1 &lt;i&gt;（%2）&lt;/i&gt; &amp;nbsp; &lt;b&gt;B&lt;/b&gt;：%3 &lt;i&gt;（%4）&lt;/i&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>These runs are of different models (%1); layers are matched by name.</source>
        <translation>这两次运行来自不同的模型（%1）；层按名称匹配。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Memory overhead</source>
        <translation>内存开销</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <location line="+9"/>
        <source> pp</source>
        <translation> 个百分点</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>MAC overhead</source>
        <translation>MAC 开销</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Effective bits</source>
        <translation>有效位数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Total error</source>
        <translation>总误差</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Float MAC share</source>
        <translation>浮点 MAC 占比</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layers changed</source>
        <translation>变化的层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Task metric</source>
        <translation>任务指标</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>not evaluated</source>
        <translation>未评估</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Threshold rule</source>
        <translation>阈值规则</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Memory budget rule</source>
        <translation>内存预算规则</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Curves: the current analysis at %1 bits with A&apos;s settings.</source>
        <translation>曲线：当前分析，%1 位，采用 A 的设置。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The trade-off curves are not shown: the current analysis is not the one these runs were made from.</source>
        <translation>未显示权衡曲线：当前分析并非这两次运行所基于的分析。</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Predictions are not compared: both runs must be evaluated on the Preview page.</source>
        <translation>不比较预测：两次运行都必须已在“预览”页面上评估。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 of %2 images differ in their predictions, largest change first.</source>
        <translation>%2 张图像中有 %1 张的预测不同，变化最大的在前。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>class changed</source>
        <translation>类别改变</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 lost</source>
        <translation>丢失 %1 个</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 added</source>
        <translation>新增 %1 个</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 moved</source>
        <translation>移动 %1 个</translation>
    </message>
</context>
<context>
    <name>mpq::studio::RunsModel</name>
    <message>
        <location filename="../app/studio/runspanel.cpp" line="+30"/>
        <source>%1 (other model: %2)</source>
        <translation>%1（其他模型：%2）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1
Pinned %2
Model %3
Memory overhead %4, total error %5</source>
        <translation>%1
固定于 %2
模型 %3
内存开销 %4，总误差 %5</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>
%1 %2 on %3 images</source>
        <translation>
%1 %2（%3 张图像）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>
Not evaluated</source>
        <translation>
未评估</translation>
    </message>
</context>
<context>
    <name>mpq::studio::RunsPanel</name>
    <message>
        <location line="+72"/>
        <source>Pin this run</source>
        <translation>固定此次运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diff with current</source>
        <translation>与当前状态比较</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diff selected two</source>
        <translation>比较选中的两个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark differences on Preview</source>
        <translation>在预览中标记差异</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+62"/>
        <source>Keep the current allocation and its figures as a named run</source>
        <translation>将当前分配及其各项数值保存为一个命名的运行</translation>
    </message>
    <message>
        <location line="-61"/>
        <source>Compare the selected run with the current state</source>
        <translation>将选中的运行与当前状态比较</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare the two selected runs</source>
        <translation>比较选中的两次运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the selected run as a snapshot file for mpq diff</source>
        <translation>将选中的运行保存为供 mpq diff 使用的快照文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark on the Preview page the images whose predictions differ between the selected run and the current state, or between the two selected runs</source>
        <translation>在预览页上标记其预测在所选运行与当前状态之间、或两个所选运行之间不同的图像</translation>
    </message>
    <message>
        <location line="+91"/>
        <location line="+7"/>
        <source>Export run</source>
        <translation>导出运行</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Run snapshots (*.json)</source>
        <translation>运行快照 (*.json)</translation>
    </message>
</context>
<context>
    <name>mpq::studio::SettingsPanel</name>
    <message>
        <location filename="../app/studio/settingspanel.cpp" line="+35"/>
        <source>&amp;Half-step pair</source>
        <translation>半步点对(&amp;H)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Bias &amp;correction</source>
        <translation>偏置校正(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Weight by output sensitivity</source>
        <translation>按输出敏感度加权(&amp;W)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Analyze</source>
        <translation>分析</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+46"/>
        <location line="+9"/>
        <source> bits</source>
        <translation> 位</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Bits of each point (2..8)</source>
        <translation>每个点的位数（2..8）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The most points a channel may get (1..8)</source>
        <translation>单个通道最多可获得的点数（1..8）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>exact</source>
        <translation>精确</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How each point&apos;s scale is searched: the exact optimum, or the paper&apos;s grid reference</source>
        <translation>每个点缩放因子的搜索方式：精确最优解，或论文中的网格参考方法</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>folder of images</source>
        <translation>图像文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calibration images: every png/jpg/bmp/webp under this folder</source>
        <translation>校准图像：此文件夹下的所有 png/jpg/bmp/webp 文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+7"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Choose the folder of calibration images</source>
        <translation>选择校准图像文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the calibration images</source>
        <translation>校准图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test images: the Preview and Compare evaluate on this folder when set, else on the calibration images</source>
        <translation>测试图像：设置后，预览和比较在此文件夹上评估，否则在校准图像上评估</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose the folder of test images</source>
        <translation>选择测试图像文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings changed: Analyze to apply. The plots show the previous analysis.</source>
        <translation>设置已更改：点击“分析”以应用。图表显示的是之前的分析。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Calibration images used, at most (a fixed, seeded choice)</source>
        <translation>最多使用的校准图像数（固定的、带种子的选择）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nearest</source>
        <translation>最近电平</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>output-aware</source>
        <translation>感知输出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;p&gt;How each point&apos;s codes are rounded: to the nearest level (the paper&apos;s rule), or output-aware: column by column, each rounding error fed back into the weights not yet rounded through the layer&apos;s input correlations, so the layer&apos;s output error is smaller. Costs one more pass over the calibration images; per-layer mixed precision in Compare uses the same rounding. A layer with more than 8192 inputs per channel is rounded to nearest, with a warning naming it.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每个点的编码如何取整：取最近的电平（论文的规则），或感知输出：逐列取整，每列的取整误差通过该层输入的相关性反馈到尚未取整的权重上，使该层的输出误差更小。需要再遍历一次校准图像；“比较”中的逐层混合精度使用相同的取整。每通道输入超过 8192 个的层取最近的电平，并给出指明该层的警告。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>same as the bits</source>
        <translation>与位数相同</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;Bits of each point after a channel&apos;s first. The same as the bits is the paper&apos;s rule; fewer make an extra point cheaper in memory (1: a sign point, codes -1 and +1), so a memory budget buys more of them, while each still costs a full set of multiply-accumulates.&lt;/p&gt;</source>
        <translation>&lt;p&gt;通道第一个点之后每个点的位数。与位数相同是论文的规则；更少的位数使额外的点更省内存（1：符号点，编码为 -1 和 +1），因此同样的内存预算能买到更多的点，但每个点仍需完整的一组乘加运算。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> bit</source>
        <translation> 位</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;With 1-bit extra points: round each channel&apos;s first two points together as one grid, a point at twice the step and a point of codes 0 and 1 (one bit more than the bits, less one level, zero included), while a channel given one point keeps its best single point. Costs the same memory as a sign point.&lt;/p&gt;</source>
        <translation>&lt;p&gt;使用 1 位额外点时：将每个通道的前两个点一起舍入到同一网格上，一个点的步长为两倍，另一个点的编码为 0 和 1（比位数多一位、少一个级别，包含零）；只分到一个点的通道保留其最佳单点。内存开销与符号点相同。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>8 bits</source>
        <translation>8 位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fake-quantize layer inputs when the quantized model runs</source>
        <translation>运行量化模型时对层输入进行伪量化</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Analyze the model with these settings (Ctrl+R)</source>
        <translation>使用这些设置分析模型（Ctrl+R）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel the running job (Esc)</source>
        <translation>取消正在运行的任务（Esc）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Analysis</source>
        <translation>分析</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Bits:</source>
        <translation>位数(&amp;B)：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Max points:</source>
        <translation>最大点数(&amp;M)：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Search:</source>
        <translation>搜索(&amp;S)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Rounding:</source>
        <translation>取整(&amp;R):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E&amp;xtra points:</source>
        <translation>额外点(&amp;X):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Images:</source>
        <translation>图像(&amp;I)：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Test images:</source>
        <translation>测试图像(&amp;T)：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Count:</source>
        <translation>数量(&amp;C)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ac&amp;tivations:</source>
        <translation>激活(&amp;T)：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Allocation</source>
        <translation>分配</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;p&gt;Add the mean output error each layer&apos;s quantized weights cause on the calibration images back to its bias (Nagel et al. 2019), for multipoint and every baseline. The allocation then sees the error left after the correction. Exports carry the corrected biases.&lt;/p&gt;</source>
        <translation>&lt;p&gt;将每层量化权重在校准图像上造成的平均输出误差加回该层的偏置（Nagel 等，2019），适用于多点方法及所有基线方法。分配随后看到的是校正后剩余的误差。导出的模型带有校正后的偏置。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;p&gt;Spend the points where the model&apos;s output needs them: each channel&apos;s output error counts by how much it changes the model&apos;s final output (the softmax&apos;s KL for a classifier, otherwise the squared error of each raw output relative to its own scale), measured in the analysis with one backward pass per batch. Off: the paper&apos;s rule, every layer&apos;s relative error counts alike.&lt;/p&gt;</source>
        <translation>&lt;p&gt;把点用在模型输出最需要的地方：每个通道的输出误差按其对模型最终输出的影响计权（分类器用 softmax 的 KL 散度，其他情况用各原始输出相对于其自身量级的平方误差），在分析中每个批次用一次反向传播测得。关闭：采用论文的规则，各层的相对误差同等计入。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+15"/>
        <source> %</source>
        <translation>%</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;With a memory budget: the extra multiply-accumulates the points may cost, at most, in percent of all MACs of the quantizable layers. Points are still bought by their gain per bit of memory; a point that would pass the cap is skipped. &lt;i&gt;none&lt;/i&gt;: no cap.&lt;/p&gt;</source>
        <translation>&lt;p&gt;使用内存预算时：这些点最多可带来的额外乘加运算，以可量化层全部 MAC 的百分比表示。点仍按每比特内存的收益分配；会超出上限的点将被跳过。&lt;i&gt;无&lt;/i&gt;：不设上限。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>MAC ca&amp;p:</source>
        <translation>MAC 上限(&amp;P)：</translation>
    </message>
    <message>
        <location line="+158"/>
        <source>Folder of calibration images</source>
        <translation>校准图像文件夹</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Folder of test images</source>
        <translation>测试图像文件夹</translation>
    </message>
</context>
<context>
    <name>mpq::studio::StartPage</name>
    <message>
        <location filename="../app/studio/startpage.cpp" line="+31"/>
        <source>MPQ Studio</source>
        <translation>MPQ Studio</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Multipoint post-training quantization: find the sensitive layers, see what a budget buys, and check that the model still does its job.</source>
        <translation>多点训练后量化：找出敏感层，查看预算能换来什么，并检查模型是否仍能胜任其任务。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open the built-in demo</source>
        <translation>打开内置演示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A CenterNet-MobileNetV3 object detector (COCO) with its sample images.</source>
        <translation>一个 CenterNet-MobileNetV3 目标检测器（COCO），附带示例图像。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A TorchScript (.pt) or ONNX (.onnx) file. Ctrl+O</source>
        <translation>TorchScript（.pt）或 ONNX（.onnx）文件。Ctrl+O</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Recent models and projects</source>
        <translation>最近的模型和项目</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Or drop a .pt or .onnx model or a folder of calibration images onto this window.</source>
        <translation>或将 .pt 或 .onnx 模型或校准图像文件夹拖到此窗口。</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 (project)</source>
        <translation>%1（项目）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>last: %1 memory, %2 MACs, %3 effective</source>
        <translation>上次：内存 %1，MAC %2，有效位数 %3</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No recent models yet.</source>
        <translation>暂无最近使用的模型。</translation>
    </message>
</context>
<context>
    <name>mpq::studio::StatusSummary</name>
    <message>
        <location filename="../app/studio/statussummary.cpp" line="+34"/>
        <source>Show or hide the Warnings panel</source>
        <translation>显示或隐藏“警告”面板</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%1 · %n layer(s) · %2 MB</source>
        <translation>
            <numerusform>%1 · %n 层 · %2 MB</numerusform>
        </translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 memory</source>
        <translation>内存 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Memory overhead: stored bits of all quantizable layers over %1 bits per weight, minus one (extra points, layers at other bits and float layers all counted); pinned layers %2</source>
        <translation>内存开销：所有可量化层存储的位数除以每个权重 %1 位，再减一（额外的点、其他位宽的层和浮点层都计入）；固定的层 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 MACs</source>
        <translation>MAC %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MAC overhead: extra multiply-accumulates of the extra points over all MACs of the quantizable layers; float MACs are not charged</source>
        <translation>MAC 开销：额外点的乘加运算除以可量化层的全部 MAC；浮点 MAC 不计入</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Effective bits per weight over all quantizable weights: float layers at 32 bits, one fp32 scale per point counted</source>
        <translation>所有可量化权重的每权重有效位数：浮点层按 32 位计，每个点计一个 fp32 缩放因子</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 float MACs</source>
        <translation>%1 浮点 MAC</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n weight(s) kept float; their MACs run in float and are shown apart</source>
        <translation>
            <numerusform>%n 个权重保持浮点；其 MAC 以浮点运行并单独显示</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n 条警告</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::studio::Undo</name>
    <message>
        <location filename="../app/studio/undocommands.cpp" line="+12"/>
        <source>epsilon %1</source>
        <translation>epsilon %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>budget %1 %</source>
        <translation>预算 %1%</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+20"/>
        <source>Set %1</source>
        <translation>设置 %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Override %1</source>
        <translation>覆盖 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear the override of %1</source>
        <translation>清除 %1 的覆盖设置</translation>
    </message>
</context>
<context>
    <name>mpq::studio::WarningsPanel</name>
    <message>
        <location filename="../app/studio/warningspanel.cpp" line="+20"/>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Analysis: %1</source>
        <translation>分析：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Evaluation: %1</source>
        <translation>评估：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Allocation: %1</source>
        <translation>分配：%1</translation>
    </message>
</context>
<context>
    <name>mpq::studio::WorkspaceTabs</name>
    <message>
        <location filename="../app/studio/workspacetabs.cpp" line="+48"/>
        <source>Sensitivity</source>
        <translation>敏感度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Allocation</source>
        <translation>分配</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channels</source>
        <translation>通道</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Graph</source>
        <translation>计算图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How each layer&apos;s error falls with more points (Ctrl+1)</source>
        <translation>各层误差随点数增加而下降的情况（Ctrl+1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the current threshold or budget buys (Ctrl+2)</source>
        <translation>当前阈值或预算能换来什么（Ctrl+2）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The points of each channel of one layer (Ctrl+3)</source>
        <translation>某一层各通道的点数（Ctrl+3）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Float and quantized predictions on the sample images (Ctrl+4)</source>
        <translation>示例图像上的浮点与量化预测（Ctrl+4）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Multipoint against the other methods at the same cost (Ctrl+5)</source>
        <translation>相同开销下多点方法与其他方法的对比（Ctrl+5）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model&apos;s graph, its layers coloured by the allocation (Ctrl+6)</source>
        <translation>模型的计算图，各层按分配着色（Ctrl+6）</translation>
    </message>
    <message>
        <location line="+154"/>
        <source>The model&apos;s graph cannot be read: %1</source>
        <translation>无法读取模型的计算图：%1</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Press Analyze (Ctrl+R) in the Settings panel to measure how each layer&apos;s error falls with more points.</source>
        <translation>在“设置”面板中点击“分析”（Ctrl+R），测量各层误差随点数增加而下降的情况。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open a model (Ctrl+O) to begin.</source>
        <translation>打开一个模型（Ctrl+O）以开始。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Select a layer in the Layers list to see the points of each of its channels.</source>
        <translation>在“层”列表中选择一个层，查看其各通道的点数。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The graph is read from the model file: open the model (Ctrl+O) to see it.</source>
        <translation>计算图从模型文件中读取：请打开模型（Ctrl+O）以查看。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open a model (Ctrl+O) to see its graph.</source>
        <translation>打开一个模型（Ctrl+O）以查看其计算图。</translation>
    </message>
</context>
<context>
    <name>mpq::ui</name>
    <message>
        <location filename="../widgets/src/comparemodel.cpp" line="+29"/>
        <source>Multipoint</source>
        <translation>多点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RTN per channel</source>
        <translation>逐通道 RTN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RTN per tensor</source>
        <translation>逐张量 RTN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MSE per channel</source>
        <translation>逐通道 MSE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OCS</source>
        <translation>OCS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mixed precision</source>
        <translation>混合精度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RTN per channel, b+1 bits</source>
        <translation>逐通道 RTN，b+1 位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MSE per channel, b+1 bits</source>
        <translation>逐通道 MSE，b+1 位</translation>
    </message>
    <message>
        <location filename="../widgets/src/predictionrender.cpp" line="+98"/>
        <source>: not a readable image</source>
        <translation>：不是可读取的图像</translation>
    </message>
</context>
<context>
    <name>mpq::ui::AllocationPlot</name>
    <message>
        <location filename="../widgets/src/allocationplot.cpp" line="+44"/>
        <source>Run the analysis to see how many points each layer gets and what the extra points cost.</source>
        <translation>运行分析，查看每层获得多少个点以及额外的点带来多少开销。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Points per channel, by layer</source>
        <translation>每通道点数（按层）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Channels</source>
        <translation>通道</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+13"/>
        <source>Memory overhead (%)</source>
        <translation>内存开销（%）</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Trade-off: memory overhead against error</source>
        <translation>权衡：内存开销与误差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total relative output error (sum over layers)</source>
        <translation>总相对输出误差（各层之和）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Threshold rule (ε from 1e-6 to 1)</source>
        <translation>阈值规则（ε 从 1e-6 到 1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory budget rule</source>
        <translation>内存预算规则</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Current allocation</source>
        <translation>当前分配</translation>
    </message>
    <message numerus="yes">
        <location line="+108"/>
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n 个点</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>float</source>
        <translation>浮点</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Overhead (right axis)</source>
        <translation>开销（右轴）</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Points per channel, by layer (memory overhead %1)</source>
        <translation>每通道点数（按层，内存开销 %1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points per channel, by layer: choose a threshold or budget</source>
        <translation>每通道点数（按层）：请选择阈值或预算</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Trade-off: computing the curves...</source>
        <translation>权衡：正在计算曲线...</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Trade-off: waiting for the curves of overridden bits</source>
        <translation>权衡：正在等待被覆盖位宽的曲线</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trade-off: memory overhead against error (%1 bits)</source>
        <translation>权衡：内存开销与误差（%1 位）</translation>
    </message>
    <message numerus="yes">
        <location line="+45"/>
        <source>%1: %n channel(s)</source>
        <translation>
            <numerusform>%1：%n 个通道</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>kept in float</source>
        <translation>保持浮点</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: %2 channels</source>
        <translation>%1：%2 个通道</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>memory overhead %1</source>
        <translation>内存开销 %1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Threshold rule, ε = %1</source>
        <translation>阈值规则，ε = %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory budget %1</source>
        <translation>内存预算 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MAC overhead %1</source>
        <translation>MAC 开销 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1
memory overhead %2 (%3 %)
total error %4</source>
        <translation>%1
内存开销 %2（%3%）
总误差 %4</translation>
    </message>
</context>
<context>
    <name>mpq::ui::ChannelView</name>
    <message>
        <location filename="../widgets/src/channelview.cpp" line="+42"/>
        <source>Select a layer in the table to see its channels: the points each got, its error, and how the points fit its weights.</source>
        <translation>在表格中选择一个层以查看其通道：每个通道获得的点数、误差，以及这些点与权重的拟合情况。</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+14"/>
        <location line="+33"/>
        <source>Points</source>
        <translation>点数</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Error</source>
        <translation>误差</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Output channel (click to select)</source>
        <translation>输出通道（点击选择）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rel. error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Folded weight value</source>
        <translation>折叠后的权重值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weights per bin</source>
        <translation>每个区间的权重数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>float weights</source>
        <translation>浮点权重</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Weight residual ‖rₙ‖² / ‖w‖²</source>
        <translation>权重残差 ‖rₙ‖² / ‖w‖²</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Output error e(n) / s</source>
        <translation>输出误差 e(n) / s</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>no allocation yet: error with one point</source>
        <translation>尚未分配：单点误差</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>kept in float</source>
        <translation>保持浮点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>mean %1 points, relative error at the allocated points</source>
        <translation>平均 %1 个点，分配点数下的相对误差</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%1
%n channel(s), %2</source>
        <translation>
            <numerusform>%1
%n 个通道，%2</numerusform>
        </translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Weights of channel %1 (%2 values)</source>
        <translation>通道 %1 的权重（%2 个值）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Weights of channel %1 not available</source>
        <translation>通道 %1 的权重不可用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dashed: the half-step pair&apos;s grid s·m, s = %1</source>
        <translation>虚线：半步点对的网格 s·m，s = %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>dashed: first point&apos;s grid a₁·q, a₁ = %1</source>
        <translation>虚线：第一个点的网格 a₁·q，a₁ = %1</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source> (%n point(s) allocated)</source>
        <translation>
            <numerusform>（已分配 %n 个点）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>Error of channel %1 by points (dotted: %n allocated)</source>
        <translation>
            <numerusform>通道 %1 的误差随点数变化（点线：已分配 %n 个）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error of channel %1 by points</source>
        <translation>通道 %1 的误差随点数变化</translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source>Channel %1: %n point(s)</source>
        <translation>
            <numerusform>通道 %1：%n 个点</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Channel %1</source>
        <translation>通道 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>relative output error %1 (SQNR %2)</source>
        <translation>相对输出误差 %1（SQNR %2）</translation>
    </message>
</context>
<context>
    <name>mpq::ui::CompareModel</name>
    <message>
        <location filename="../widgets/src/comparemodel.cpp" line="+104"/>
        <source>Layers stored with one more bit: %1</source>
        <translation>多用一位存储的层：%1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Effective bits</source>
        <translation>有效位数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory overhead</source>
        <translation>内存开销</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MAC overhead</source>
        <translation>MAC 开销</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change (points)</source>
        <translation>变化（百分点）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>mpq::ui::CompareView</name>
    <message>
        <location filename="../widgets/src/compareview.cpp" line="+184"/>
        <source>Run comparison</source>
        <translation>运行比较</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Quantize the model with every method at the current multipoint allocation&apos;s memory overhead and evaluate each on the sample images</source>
        <translation>在当前多点分配的内存开销下用每种方法量化模型，并在示例图像上逐一评估</translation>
    </message>
    <message>
        <location line="-140"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>At this allocation</source>
        <translation>按当前分配</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sweep budgets</source>
        <translation>扫描预算</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At this allocation: every method at the current allocation&apos;s memory overhead. Sweep budgets: every method over memory budgets from 0 to 50 %, one curve each.</source>
        <translation>按当前分配：每种方法都取当前分配的内存开销。扫描预算：每种方法在 0 到 50 % 的内存预算上各一条曲线。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory overhead</source>
        <translation>内存开销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MAC overhead</source>
        <translation>MAC 开销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the methods are compared against: the extra weight memory or the extra multiply-accumulates, over the b-bit model</source>
        <translation>方法比较所依据的量：相对于 b 位模型的额外权重内存或额外乘加运算</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Against:</source>
        <translation>依据：</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Run the analysis, then Run comparison: every method is measured on the sample images at the same memory overhead, to show whether multipoint is worth it for this model.</source>
        <translation>先运行分析，再点击“运行比较”：在相同内存开销下于示例图像上测量每种方法，以判断多点方法对此模型是否值得。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Run the analysis, then Run sweep: every method is measured on the sample images at memory budgets from 0 to 50 %, one curve per method.</source>
        <translation>先运行分析，然后点击“运行扫描”：在内存预算 0 到 50 % 下用样例图像测量每种方法，每种方法一条曲线。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Task metric against memory overhead, per method</source>
        <translation>各方法的任务指标与内存开销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task metric against MAC overhead, per method</source>
        <translation>各方法的任务指标与 MAC 开销</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Task metric against memory overhead, over memory budgets</source>
        <translation>不同内存预算下任务指标与内存开销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task metric against MAC overhead, over memory budgets</source>
        <translation>不同内存预算下任务指标与 MAC 开销</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Memory overhead (%)</source>
        <translation>内存开销 (%)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MAC overhead (%)</source>
        <translation>MAC 开销 (%)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Running...</source>
        <translation>正在运行...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run sweep</source>
        <translation>运行扫描</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quantize the model with every method at memory budgets from 0 to 50 % and evaluate each on the sample images (in the background)</source>
        <translation>在 0 到 50 % 的内存预算下用每种方法量化模型，并在样例图像上逐一评估（后台运行）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1:%2 left</source>
        <translation>剩余 %1:%2</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Figures for %1</source>
        <translation>%1 的结果</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Sweep for %1</source>
        <translation>%1 的扫描</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>float: %1</source>
        <translation>浮点：%1</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+33"/>
        <source>%1 (%)</source>
        <translation>%1（%）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 (any budget)</source>
        <translation>%1（任意预算）</translation>
    </message>
</context>
<context>
    <name>mpq::ui::GraphPage</name>
    <message>
        <location filename="../widgets/src/graphpage.cpp" line="+32"/>
        <source>Points per channel</source>
        <translation>每通道点数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relative output error</source>
        <translation>相对输出误差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory overhead</source>
        <translation>内存开销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One-point error</source>
        <translation>单点误差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What colours the quantizable layers</source>
        <translation>可量化层按哪个量着色</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draw every module this deep as one node (double-click a node to collapse or expand its module)</source>
        <translation>将此深度的每个模块绘制为一个节点（双击节点可折叠或展开其模块）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find a layer (Enter: next)</source>
        <translation>查找层（Enter：下一个）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Zoom in (+)</source>
        <translation>放大（+）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom out (-)</source>
        <translation>缩小（-）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the whole graph (F)</source>
        <translation>显示整个计算图（F）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save the graph as PNG, SVG or PDF</source>
        <translation>将计算图保存为 PNG、SVG 或 PDF</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Colour by:</source>
        <translation>着色依据：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Collapse modules:</source>
        <translation>折叠模块：</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No model.</source>
        <translation>没有模型。</translation>
    </message>
    <message>
        <location line="+34"/>
        <location line="+6"/>
        <source>Export graph</source>
        <translation>导出计算图</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>The Graph page needs Graphviz&apos;s dot program to lay out the graph, and it was not found.

Install Graphviz (on Debian or Ubuntu: sudo apt install graphviz), then open the model again.</source>
        <translation>“计算图”页面需要 Graphviz 的 dot 程序来布局计算图，但未找到该程序。

请安装 Graphviz（Debian 或 Ubuntu 上：sudo apt install graphviz），然后重新打开模型。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Laying out the graph…</source>
        <translation>正在布局计算图…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Graphviz&apos;s dot could not be started (%1).</source>
        <translation>无法启动 Graphviz 的 dot（%1）。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Graphviz&apos;s dot could not lay out the graph (exit code %1):

%2</source>
        <translation>Graphviz 的 dot 无法布局计算图（退出码 %1）：

%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no message</source>
        <translation>无消息</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Graphviz&apos;s dot gave a layout that cannot be read: %1</source>
        <translation>Graphviz 的 dot 给出的布局无法读取：%1</translation>
    </message>
</context>
<context>
    <name>mpq::ui::GraphView</name>
    <message>
        <location filename="../widgets/src/graphcolour.cpp" line="-96"/>
        <source> · %1 points</source>
        <translation> · %1 个点</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>1 quantizable layer, %1 channels</source>
        <translation>1 个可量化层，%1 个通道</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 quantizable layers, %2 channels</source>
        <translation>%1 个可量化层，%2 个通道</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kept in float (F)</source>
        <translation>保持浮点（F）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Points per channel</source>
        <translation>每通道点数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relative output error</source>
        <translation>相对输出误差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory overhead</source>
        <translation>内存开销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MAC overhead</source>
        <translation>MAC 开销</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One-point error</source>
        <translation>单点误差</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kept in float</source>
        <translation>保持浮点</translation>
    </message>
    <message>
        <location filename="../widgets/src/graphview.cpp" line="+410"/>
        <source>: cannot draw the SVG</source>
        <translation>：无法绘制 SVG</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>: cannot render the graph</source>
        <translation>：无法渲染计算图</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>: cannot draw the PDF</source>
        <translation>：无法绘制 PDF</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>: choose a .png, .svg or .pdf file name</source>
        <translation>：请选择扩展名为 .png、.svg 或 .pdf 的文件名</translation>
    </message>
</context>
<context>
    <name>mpq::ui::LayerTableModel</name>
    <message numerus="yes">
        <location filename="../widgets/src/layertablemodel.cpp" line="+147"/>
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n 个点</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <location line="+122"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>%n bit(s)</source>
        <translation>
            <numerusform>%n 位</numerusform>
        </translation>
    </message>
    <message>
        <location line="-122"/>
        <location line="+63"/>
        <source>float</source>
        <translation>浮点</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 (%2), weight %3: %4 channels of %5 weights</source>
        <translation>%1（%2），权重 %3：%4 个通道，每通道 %5 个权重</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>BatchNorm %1 folded in</source>
        <translation>已折叠 BatchNorm %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pinned by the user: %1</source>
        <translation>用户固定：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not allocated yet: run the analysis and choose a threshold or budget.</source>
        <translation>尚未分配：请运行分析并选择阈值或预算。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kept in float (32-bit weights): its weights cost %1 more than at %2 bits; its %3 MACs run in float and are counted apart.</source>
        <translation>保持浮点（32 位权重）：其权重比 %2 位多花费 %1；其 %3 个 MAC 以浮点运行并单独计数。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>first point %1, extra points %2</source>
        <translation>第一个点 %1，额外点 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mean %1 points per channel, at most %2 (%3)
Channels: %4</source>
        <translation>平均每通道 %1 个点，最多 %2 个（%3）
通道：%4</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>&lt;p&gt;Here: the mean number of points per output channel.&lt;/p&gt;</source>
        <translation>&lt;p&gt;此处：每个输出通道的平均点数。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;p&gt;Here per layer: its extra stored bits over its weights at the chosen bits.&lt;/p&gt;</source>
        <translation>&lt;p&gt;此处按层：其额外存储的位数相对于所选位宽下其权重的比例。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;p&gt;Here per layer: its extra MACs over its MACs.&lt;/p&gt;</source>
        <translation>&lt;p&gt;此处按层：其额外 MAC 相对于其 MAC 的比例。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MACs</source>
        <translation>MAC</translation>
    </message>
    <message numerus="yes">
        <location line="-99"/>
        <source>%1 with %n point(s)</source>
        <translation>
            <numerusform>%1，%n 个点</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 extra weights on %2 (%3 %)
MACs: %4 extra on %5 (%6 %)</source>
        <translation>额外权重 %1 个，基数 %2（%3%）
MAC：额外 %4 次，基数 %5（%6%）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Relative output error R = %1
SQNR = %2 dB</source>
        <translation>相对输出误差 R = %1
SQNR = %2 dB</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>inf</source>
        <translation>∞</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 bits per weight, one 32-bit scale per point counted</source>
        <translation>每个权重 %1 位（每个点计入一个 32 位缩放因子）</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Largest number of points of any channel</source>
        <translation>所有通道中的最大点数</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>A pin set by the user (fixed points, other bits, or float)</source>
        <translation>用户设置的固定项（固定点数、其他位宽或浮点）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Channels</source>
        <translation>通道</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points</source>
        <translation>点数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Max pts</source>
        <translation>最大点数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Rel. error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Eff. bits</source>
        <translation>有效位数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Override</source>
        <translation>覆盖</translation>
    </message>
</context>
<context>
    <name>mpq::ui::PointSummaryModel</name>
    <message>
        <location filename="../widgets/src/pointsummarymodel.cpp" line="+73"/>
        <source>Points</source>
        <translation>点数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean rel. residual</source>
        <translation>平均相对残差</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Max rel. residual</source>
        <translation>最大相对残差</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Weight SQNR</source>
        <translation>权重 SQNR</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Effective bits</source>
        <translation>有效位数</translation>
    </message>
</context>
<context>
    <name>mpq::ui::PreviewModel</name>
    <message>
        <location filename="../widgets/src/previewmodel.cpp" line="+221"/>
        <source>%1
F: %2
Q: %3</source>
        <translation>%1
浮点：%2
量化：%3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1
F: %2, Q: %3</source>
        <translation>%1
F：%2，Q：%3</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <location line="+1"/>
        <source>%n box(es)</source>
        <translation>
            <numerusform>%n 个框</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1
float: %2
quantized: %3%4</source>
        <translation>%1
浮点：%2
量化：%3%4</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>
the quantized prediction differs</source>
        <translation>
量化预测与浮点不同</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>
differs between the runs A (%1) and B (%2): %3</source>
        <translation>
在运行 A（%1）与 B（%2）之间不同：%3</translation>
    </message>
</context>
<context>
    <name>mpq::ui::PreviewView</name>
    <message>
        <location filename="../widgets/src/previewview.cpp" line="+85"/>
        <source>Changed first</source>
        <translation>变化的优先</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only changed</source>
        <translation>仅变化的</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Differs between the runs</source>
        <translation>运行之间不同</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clear marks</source>
        <translation>清除标记</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Score threshold</source>
        <translation>得分阈值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why did this prediction flip?</source>
        <translation>为什么这个预测翻转了？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Apply as overrides</source>
        <translation>作为覆盖设置应用</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Images whose quantized prediction differs from the float one first</source>
        <translation>量化预测与浮点预测不同的图像排在前面</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show only the images whose quantized prediction differs</source>
        <translation>仅显示量化预测不同的图像</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show only the images whose predictions differ between the two runs of the diff</source>
        <translation>仅显示其预测在对比的两次运行之间不同的图像</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Remove the run diff&apos;s marks from the Preview</source>
        <translation>从预览中移除运行对比的标记</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Boxes below this score are neither drawn nor counted here</source>
        <translation>低于此得分的框在此既不绘制也不计数</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Restore layers to float</source>
        <translation>将层恢复为浮点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add one point per channel</source>
        <translation>每通道增加一个点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What a tested layer gets: its float weights, or one more point on every channel (up to the analysis&apos; maximum)</source>
        <translation>被测试的层得到什么：恢复其浮点权重，或每个通道多加一个点（不超过分析的最大点数）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sets these overrides on the layers found, as one step Edit &gt; Undo reverts</source>
        <translation>在找到的层上设置这些覆盖设置，作为一个可用“编辑 &gt; 撤销”还原的步骤</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Run the analysis: the Preview then shows what the float and the quantized model say about the sample images at the current setting.</source>
        <translation>请先运行分析：预览随后会显示在当前设置下浮点模型和量化模型对示例图像的预测。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Figures for %1</source>
        <translation>%1 的结果</translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>&lt;span style=&apos;color:%1&apos;&gt;&lt;b&gt;A≠B&lt;/b&gt;&lt;/span&gt; %n image(s) whose predictions differ between &lt;b&gt;A&lt;/b&gt;: %2 and &lt;b&gt;B&lt;/b&gt;: %3</source>
        <translation>
            <numerusform>&lt;span style=&apos;color:%1&apos;&gt;&lt;b&gt;A≠B&lt;/b&gt;&lt;/span&gt; %n 张图像的预测在 &lt;b&gt;A&lt;/b&gt;：%2 与 &lt;b&gt;B&lt;/b&gt;：%3 之间不同</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (of %1 compared)</source>
        <translation>（共比较 %1 张）</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%n of them among the images shown here.</source>
        <translation>
            <numerusform>其中 %n 张在此处显示的图像中。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+82"/>
        <source>%1 of the %2 in the folder</source>
        <translation>文件夹中 %2 张中的 %1 张</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+12"/>
        <source>images</source>
        <translation>图像</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>top-1 float</source>
        <translation>Top-1 浮点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-1 quantized</source>
        <translation>Top-1 量化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-5 float</source>
        <translation>Top-5 浮点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-5 quantized</source>
        <translation>Top-5 量化</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>none (folder names are not classes)</source>
        <translation>无（文件夹名称不是类别）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>top-1 agreement</source>
        <translation>Top-1 一致率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mean KL</source>
        <translation>平均 KL</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> nats</source>
        <translation> nats</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>mAP@0.5 vs float</source>
        <translation>mAP@0.5（相对浮点）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>mAP@0.5 float (annotations)</source>
        <translation>mAP@0.5 浮点（标注）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mAP@0.5 quantized (annotations)</source>
        <translation>mAP@0.5 量化（标注）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>predictions changed</source>
        <translation>预测发生变化</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cost</source>
        <translation>开销</translation>
    </message>
    <message>
        <location filename="../widgets/src/previewexplainpanel.cpp" line="+144"/>
        <location filename="../widgets/src/previewview.cpp" line="+1"/>
        <source>memory overhead</source>
        <translation>内存开销</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../widgets/src/previewview.cpp" line="+1"/>
        <source>MAC overhead</source>
        <translation>MAC 开销</translation>
    </message>
    <message>
        <location filename="../widgets/src/previewview.cpp" line="+1"/>
        <source>effective bits</source>
        <translation>有效位数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 float boxes solid, %2 quantized boxes dashed</source>
        <translation>%1 个浮点框为实线，%2 个量化框为虚线</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>F: float, Q: quantized. Tinted: the quantized top-1 differs from the float one.</source>
        <translation>F：浮点，Q：量化。着色：量化模型的 Top-1 与浮点模型不同。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n warning(s), see the Warnings panel</source>
        <translation>
            <numerusform>%n 条警告，请查看“警告”面板</numerusform>
        </translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Quantized</source>
        <translation>量化</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Float</source>
        <translation>浮点</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>nothing detected</source>
        <translation>未检测到目标</translation>
    </message>
    <message>
        <location filename="../widgets/src/previewexplainpanel.cpp" line="-101"/>
        <source>An explanation is running: wait for it or cancel it.</source>
        <translation>正在进行解释：请等待其完成或将其取消。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Select an image whose quantized prediction differs from the float one.</source>
        <translation>请选择量化预测与浮点预测不同的图像。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The quantized prediction on this image is the same as the float one: there is nothing to explain.</source>
        <translation>此图像上的量化预测与浮点预测相同：没有需要解释的内容。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Find the fewest layers whose quantization changes this prediction (delta debugging, one forward per test, on this image only)</source>
        <translation>找出其量化会改变此预测的最少的层（delta 调试，每次测试一次前向传播，仅针对此图像）</translation>
    </message>
    <message numerus="yes">
        <location line="+44"/>
        <source>%n box(es)</source>
        <translation>
            <numerusform>%n 个框</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>restored to float</source>
        <translation>恢复为浮点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>with one more point</source>
        <translation>多加一个点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;%1&lt;/b&gt; at %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;（%2）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The quantized prediction on this image already matches the float one.</source>
        <translation>此图像上的量化预测已与浮点预测一致。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot be explained this way: %1.</source>
        <translation>无法用这种方式解释：%1。</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>The float prediction comes back with %n layer(s) %1:</source>
        <translation>
            <numerusform>将 %n 个层%1后，预测回到浮点预测：</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>1-minimal: without any one of them it flips again.</source>
        <translation>1-最小：去掉其中任意一个，预测都会再次翻转。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not verified 1-minimal.</source>
        <translation>未验证是否 1-最小。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>float</source>
        <translation>浮点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>quantized</source>
        <translation>量化</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>with the set</source>
        <translation>应用该组层后</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+3"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MACs in float</source>
        <translation>浮点 MAC</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>As overrides, the allocation moves points elsewhere and this image still differs.</source>
        <translation>作为覆盖设置应用时，分配会把点移到别处，此图像的预测仍然不同。</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n forward(s), %1 layer(s) searched</source>
        <translation>
            <numerusform>%n 次前向传播，搜索了 %1 个层</numerusform>
        </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Applied as overrides (Edit &gt; Undo reverts them).</source>
        <translation>已作为覆盖设置应用（“编辑 &gt; 撤销”可还原）。</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Overrides cannot be set from here in this window</source>
        <translation>在此窗口中无法从这里设置覆盖设置</translation>
    </message>
</context>
<context>
    <name>mpq::ui::SensitivityPlot</name>
    <message>
        <location filename="../widgets/src/sensitivityplot.cpp" line="+38"/>
        <source>Points per channel</source>
        <translation>每通道点数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relative output error</source>
        <translation>相对输出误差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SQNR (dB)</source>
        <translation>SQNR（dB）</translation>
    </message>
    <message>
        <location line="+133"/>
        <source>Run the analysis to see how each layer&apos;s error falls with more points.</source>
        <translation>运行分析，查看各层误差随点数增加而下降的情况。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>No layer has a measured error to show.</source>
        <translation>没有可显示测量误差的层。</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>The %n layer(s) with the largest error at 1 point, of %1 (%2 bits)
Select layers in the table or the ranking to see others</source>
        <translation>
            <numerusform>%1 个层中 1 点误差最大的 %n 个（%2 位）
在表格或排名中选择层以查看其他层</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Output error of %1
(%n channel(s), %2 bits)</source>
        <translation>
            <numerusform>%1 的输出误差
（%n 个通道，%2 位）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Output error of %n layer(s) (%1 bits)</source>
        <translation>
            <numerusform>%n 个层的输出误差（%1 位）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Layer: %1</source>
        <translation>层：%1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Channel minimum</source>
        <translation>通道最小值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>10th percentile of channels</source>
        <translation>通道的第 10 百分位</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+16"/>
        <source>Median channel</source>
        <translation>通道中位数</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+163"/>
        <source>90th percentile of channels</source>
        <translation>通道的第 90 百分位</translation>
    </message>
    <message>
        <location line="-162"/>
        <location line="+160"/>
        <source>Channel maximum</source>
        <translation>通道最大值</translation>
    </message>
    <message>
        <location line="-150"/>
        <source>Channels, min to max</source>
        <translation>通道，最小值到最大值</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Channels, 10th to 90th percentile</source>
        <translation>通道，第 10 至第 90 百分位</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>threshold ε = %1 (drag to change)</source>
        <translation>阈值 ε = %1（拖动以更改）</translation>
    </message>
    <message numerus="yes">
        <location line="+88"/>
        <source>%1
%n point(s): relative error %2 (SQNR %3)</source>
        <translation>
            <numerusform>%1
%n 个点：相对误差 %2（SQNR %3）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>
Click to select this layer</source>
        <translation>
点击选择此层</translation>
    </message>
</context>
<context>
    <name>mpq::ui::SensitivityRankModel</name>
    <message>
        <location filename="../widgets/src/sensitivityrankmodel.cpp" line="+171"/>
        <source>%1 (max %2)</source>
        <translation>%1（最多 %2）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1
Rank %2 by the error round-to-nearest (1 point) leaves: %3</source>
        <translation>%1
按就近取整（1 个点）留下的误差排名第 %2：%3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>
To reach ε = %1: %2 points per channel on average (at most %3), error %4, memory cost %5 of the model (%6 extra bits), MAC cost %7
This layer and those above it: %8</source>
        <translation>
要达到 ε = %1：每通道平均 %2 个点（最多 %3），误差 %4，内存代价为模型的 %5（额外 %6 位），MAC 代价 %7
此层及排名在其之上的层：%8</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>
Click to select the layer everywhere</source>
        <translation>
点击在所有位置选择该层</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error at 1 pt</source>
        <translation>1 点误差</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points to reach ε</source>
        <translation>达到 ε 的点数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error then</source>
        <translation>届时误差</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory cost</source>
        <translation>内存代价</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MAC cost</source>
        <translation>MAC 代价</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cumulative memory</source>
        <translation>累计内存</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Rank by the error at one point per channel, largest first</source>
        <translation>按每通道一个点时的误差排名，最大的在前</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The layer&apos;s module path</source>
        <translation>该层的模块路径</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;With one point per channel: what round-to-nearest does to the layer.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每通道一个点：就近取整对该层的影响。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;p&gt;The mean (and largest) points per channel the threshold rule gives this layer at the current ε.&lt;/p&gt;</source>
        <translation>&lt;p&gt;在当前 ε 下阈值规则给该层的每通道平均（及最大）点数。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;The layer&apos;s relative error with those points.&lt;/p&gt;</source>
        <translation>&lt;p&gt;该层在这些点数下的相对误差。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;This layer&apos;s share: its extra points over all quantizable weights; the column sums to the model&apos;s overhead at ε.&lt;/p&gt;</source>
        <translation>&lt;p&gt;该层的份额：其额外的点相对于全部可量化权重；此列之和为模型在 ε 下的开销。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;p&gt;The memory cost of fixing this layer and every layer ranked above it.&lt;/p&gt;</source>
        <translation>&lt;p&gt;修复此层及排名在其之上的所有层的内存代价。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>mpq::ui::SensitivityRankView</name>
    <message>
        <location filename="../widgets/src/sensitivityrankview.cpp" line="+108"/>
        <source>Layers ranked by sensitivity appear here after the analysis.</source>
        <translation>分析后，这里按敏感度列出各层。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Layers ranked by the error round-to-nearest (1 point) leaves, most sensitive first, with the points and cost each needs to reach the threshold ε = %1 (all layers: %2 memory, %3 MACs). Click a row to select the layer everywhere.</source>
        <translation>各层按就近取整（1 个点）留下的误差排序，最敏感的在前，并给出每层达到阈值 ε = %1 所需的点数和代价（所有层：内存 %2，MAC %3）。点击一行即可在所有位置选择该层。</translation>
    </message>
</context>
<context>
    <name>mpq::ui::SweepModel</name>
    <message>
        <location filename="../widgets/src/comparemodel.cpp" line="+75"/>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This method&apos;s weights do not depend on the budget: one point.</source>
        <translation>该方法的权重与预算无关：只有一个点。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Memory budget</source>
        <translation>内存预算</translation>
    </message>
</context>
<context>
    <name>mpq::ui::ThresholdControl</name>
    <message>
        <location filename="../widgets/src/thresholdcontrol.cpp" line="+45"/>
        <source>&amp;Threshold</source>
        <translation>阈值(&amp;T)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Each channel gets the fewest points whose relative output error is at most ε</source>
        <translation>每个通道获得使相对输出误差不超过 ε 的最少点数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Budget</source>
        <translation>预算(&amp;B)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Extra points go where they lower the error most, until the total overhead reaches the budget</source>
        <translation>额外的点优先分配到最能降低误差的位置，直到总开销达到预算</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Relative output error allowed per channel, log scale from 1e-6 (left) to 1 (right)</source>
        <translation>每个通道允许的相对输出误差，对数刻度，从 1e-6（左）到 1（右）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>ε in scientific notation, e.g. 1e-3</source>
        <translation>ε（科学计数法，例如 1e-3）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ε</source>
        <translation>ε</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Total overhead allowed, 0 to 100 %</source>
        <translation>允许的总开销，0 到 100%</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> %</source>
        <translation>%</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory (extra weights)</source>
        <translation>内存（额外权重）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compute (extra MACs)</source>
        <translation>计算（额外 MAC）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What the budget limits: extra low-bit weights relative to all quantized weights, or extra multiply-accumulates</source>
        <translation>预算限制的对象：额外低位宽权重占全部量化权重的比例，或额外的乘累加运算</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Overhead</source>
        <translation>开销</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cost</source>
        <translation>开销类型</translation>
    </message>
</context>
</TS>
