<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>mpq::studio::EvaluationJobs</name>
    <message numerus="yes">
        <location filename="../app/studio/evaluationjobs.cpp" line="+45"/>
        <source>%n layers at %1 bits</source>
        <translation>
            <numerusform>%n layer at %1 bits</numerusform>
            <numerusform>%n layers at %1 bits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::studio::ExportDialog</name>
    <message numerus="yes">
        <location filename="../app/studio/exportdialog.cpp" line="+233"/>
        <source>; %n layer(s) kept float (%1 of the MACs, run in float, not charged)</source>
        <translation>
            <numerusform>; %n layer kept float (%1 of the MACs, run in float, not charged)</numerusform>
            <numerusform>; %n layers kept float (%1 of the MACs, run in float, not charged)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::studio::LayersPanel</name>
    <message numerus="yes">
        <location filename="../app/studio/layerspanel.cpp" line="+179"/>
        <source>%n point(s) per channel</source>
        <translation>
            <numerusform>%n point per channel</numerusform>
            <numerusform>%n points per channel</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::studio::OutputActions</name>
    <message numerus="yes">
        <location filename="../app/studio/outputactions.cpp" line="+77"/>
        <source> with %n override(s)</source>
        <translation>
            <numerusform> with %n override</numerusform>
            <numerusform> with %n overrides</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::studio::PreviewController</name>
    <message numerus="yes">
        <location filename="../app/studio/previewrundiff.cpp" line="+31"/>
        <source>%n detection(s) lost</source>
        <translation>
            <numerusform>%n detection lost</numerusform>
            <numerusform>%n detections lost</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n added</source>
        <translation>
            <numerusform>%n added</numerusform>
            <numerusform>%n added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n moved</source>
        <translation>
            <numerusform>%n moved</numerusform>
            <numerusform>%n moved</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/previewcontroller.cpp" line="+295"/>
        <source> with %n override(s)</source>
        <translation>
            <numerusform> with %n override</numerusform>
            <numerusform> with %n overrides</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/studio/previewexplain.cpp" line="+87"/>
        <source>Apply the explanation&apos;s %n override(s)</source>
        <translation>
            <numerusform>Apply the explanation&apos;s override</numerusform>
            <numerusform>Apply the explanation&apos;s %n overrides</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+91"/>
        <source>Raise the budget to %1 and apply the explanation&apos;s %n override(s)</source>
        <translation>
            <numerusform>Raise the budget to %1 and apply the explanation&apos;s override</numerusform>
            <numerusform>Raise the budget to %1 and apply the explanation&apos;s %n overrides</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::studio::RunDiffWindow</name>
    <message numerus="yes">
        <location filename="../app/studio/rundiffwindow.cpp" line="+59"/>
        <source>%n box(es)</source>
        <translation>
            <numerusform>%n box</numerusform>
            <numerusform>%n boxes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::studio::StatusSummary</name>
    <message numerus="yes">
        <location filename="../app/studio/statussummary.cpp" line="+42"/>
        <source>%1 · %n layer(s) · %2 MB</source>
        <translation>
            <numerusform>%1 · %n layer · %2 MB</numerusform>
            <numerusform>%1 · %n layers · %2 MB</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+47"/>
        <source>%n weight(s) kept float; their MACs run in float and are shown apart</source>
        <translation>
            <numerusform>%n weight kept float; its MACs run in float and are shown apart</numerusform>
            <numerusform>%n weights kept float; their MACs run in float and are shown apart</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::ui::AllocationPlot</name>
    <message numerus="yes">
        <location filename="../widgets/src/allocationplot.cpp" line="+202"/>
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n point</numerusform>
            <numerusform>%n points</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+206"/>
        <source>%1: %n channel(s)</source>
        <translation>
            <numerusform>%1: %n channel</numerusform>
            <numerusform>%1: %n channels</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::ui::ChannelView</name>
    <message numerus="yes">
        <location filename="../widgets/src/channelview.cpp" line="+274"/>
        <source>%1
%n channel(s), %2</source>
        <translation>
            <numerusform>%1
%n channel, %2</numerusform>
            <numerusform>%1
%n channels, %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+62"/>
        <source> (%n point(s) allocated)</source>
        <translation>
            <numerusform> (%n point allocated)</numerusform>
            <numerusform> (%n points allocated)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>Error of channel %1 by points (dotted: %n allocated)</source>
        <translation>
            <numerusform>Error of channel %1 by points (dotted: %n allocated)</numerusform>
            <numerusform>Error of channel %1 by points (dotted: %n allocated)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+34"/>
        <source>Channel %1: %n point(s)</source>
        <translation>
            <numerusform>Channel %1: %n point</numerusform>
            <numerusform>Channel %1: %n points</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::ui::LayerTableModel</name>
    <message numerus="yes">
        <location filename="../widgets/src/layertablemodel.cpp" line="+147"/>
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n point</numerusform>
            <numerusform>%n points</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <location line="+122"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>%n bit(s)</source>
        <translation>
            <numerusform>%n bit</numerusform>
            <numerusform>%n bits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="-6"/>
        <source>%1 with %n point(s)</source>
        <translation>
            <numerusform>%1 with %n point</numerusform>
            <numerusform>%1 with %n points</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::ui::PreviewModel</name>
    <message numerus="yes">
        <location filename="../widgets/src/previewmodel.cpp" line="+224"/>
        <location line="+1"/>
        <source>%n box(es)</source>
        <translation>
            <numerusform>%n box</numerusform>
            <numerusform>%n boxes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::ui::PreviewView</name>
    <message numerus="yes">
        <location filename="../widgets/src/previewview.cpp" line="+298"/>
        <source>&lt;span style=&apos;color:%1&apos;&gt;&lt;b&gt;A≠B&lt;/b&gt;&lt;/span&gt; %n image(s) whose predictions differ between &lt;b&gt;A&lt;/b&gt;: %2 and &lt;b&gt;B&lt;/b&gt;: %3</source>
        <translation>
            <numerusform>&lt;span style=&apos;color:%1&apos;&gt;&lt;b&gt;A≠B&lt;/b&gt;&lt;/span&gt; %n image whose predictions differ between &lt;b&gt;A&lt;/b&gt;: %2 and &lt;b&gt;B&lt;/b&gt;: %3</numerusform>
            <numerusform>&lt;span style=&apos;color:%1&apos;&gt;&lt;b&gt;A≠B&lt;/b&gt;&lt;/span&gt; %n images whose predictions differ between &lt;b&gt;A&lt;/b&gt;: %2 and &lt;b&gt;B&lt;/b&gt;: %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n of them among the images shown here.</source>
        <translation>
            <numerusform>%n of them among the images shown here.</numerusform>
            <numerusform>%n of them among the images shown here.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+122"/>
        <source>%n warning(s), see the Warnings panel</source>
        <translation>
            <numerusform>%n warning, see the Warnings panel</numerusform>
            <numerusform>%n warnings, see the Warnings panel</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/src/previewexplainpanel.cpp" line="+96"/>
        <source>%n box(es)</source>
        <translation>
            <numerusform>%n box</numerusform>
            <numerusform>%n boxes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+34"/>
        <source>The float prediction comes back with %n layer(s) %1:</source>
        <translation>
            <numerusform>The float prediction comes back with %n layer %1:</numerusform>
            <numerusform>The float prediction comes back with %n layers %1:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+28"/>
        <source>%n forward(s), %1 layer(s) searched</source>
        <translation>
            <numerusform>%n forward pass, %1 layer(s) searched</numerusform>
            <numerusform>%n forward passes, %1 layer(s) searched</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::ui::SensitivityPlot</name>
    <message numerus="yes">
        <location filename="../widgets/src/sensitivityplot.cpp" line="+191"/>
        <source>The %n layer(s) with the largest error at 1 point, of %1 (%2 bits)
Select layers in the table or the ranking to see others</source>
        <translation>
            <numerusform>The layer with the largest error at 1 point, of %1 (%2 bits)
Select layers in the table or the ranking to see others</numerusform>
            <numerusform>The %n layers with the largest error at 1 point, of %1 (%2 bits)
Select layers in the table or the ranking to see others</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Output error of %1
(%n channel(s), %2 bits)</source>
        <translation>
            <numerusform>Output error of %1
(%n channel, %2 bits)</numerusform>
            <numerusform>Output error of %1
(%n channels, %2 bits)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Output error of %n layer(s) (%1 bits)</source>
        <translation>
            <numerusform>Output error of %n layer (%1 bits)</numerusform>
            <numerusform>Output error of %n layers (%1 bits)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+243"/>
        <source>%1
%n point(s): relative error %2 (SQNR %3)</source>
        <translation>
            <numerusform>%1
%n point: relative error %2 (SQNR %3)</numerusform>
            <numerusform>%1
%n points: relative error %2 (SQNR %3)</numerusform>
        </translation>
    </message>
</context>
</TS>
