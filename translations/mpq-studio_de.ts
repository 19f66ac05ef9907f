<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>Glossary</name>
    <message>
        <location filename="../widgets/src/glossary.cpp" line="+25"/>
        <source>Point</source>
        <translation>Punkt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Threshold ε (epsilon)</source>
        <translation>Schwelle ε (Epsilon)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Budget</source>
        <translation>Budget</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory overhead</source>
        <translation>Speicher-Mehraufwand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MAC overhead</source>
        <translation>MAC-Mehraufwand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Effective bits</source>
        <translation>Effektive Bits</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Relative error</source>
        <translation>Relativer Fehler</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>One low-bit copy of a channel&apos;s weights with its own scale. Multipoint quantization sums several points per channel: one point is plain round-to-nearest, each extra point removes more of the rounding error and costs that channel&apos;s weights once more.</source>
        <translation>Eine Kopie der Gewichte eines Kanals mit wenigen Bits und eigenem Skalenfaktor. Multipoint-Quantisierung summiert mehrere Punkte je Kanal: ein Punkt ist einfaches Runden, jeder weitere Punkt entfernt mehr vom Rundungsfehler und kostet die Gewichte dieses Kanals noch einmal.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The threshold rule&apos;s target: each channel gets the fewest points whose relative output error is at most ε. A smaller ε means more points and more cost.</source>
        <translation>Das Ziel der Schwellenregel: jeder Kanal erhält die wenigsten Punkte, deren relativer Ausgabefehler höchstens ε beträgt. Ein kleineres ε bedeutet mehr Punkte und mehr Kosten.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The budget rule&apos;s limit: the extra memory (or MACs) the extra points may cost, as a percentage of the model at the chosen bits. Points go first where they remove the most error per unit of cost.</source>
        <translation>Die Grenze der Budgetregel: der zusätzliche Speicher (oder die MACs), den die zusätzlichen Punkte kosten dürfen, in Prozent des Modells bei der gewählten Bitbreite. Punkte gehen zuerst dorthin, wo sie je Kosteneinheit den meisten Fehler entfernen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The extra weight storage of the allocation (extra points, layers kept float or at other bits) as a percentage of all quantizable weights at the chosen bits.</source>
        <translation>Der zusätzliche Gewichtsspeicher der Zuteilung (zusätzliche Punkte, Schichten in Float oder mit anderer Bitbreite) in Prozent aller quantisierbaren Gewichte bei der gewählten Bitbreite.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The extra multiply-accumulate operations of the extra points, as a percentage of all MACs of the quantizable layers. Layers kept float are shown apart.</source>
        <translation>Die zusätzlichen Multiply-Accumulate-Operationen der zusätzlichen Punkte in Prozent aller MACs der quantisierbaren Schichten. Float-Schichten werden getrennt gezeigt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The stored bits per weight, the points&apos; scales included: the bits of every point and scale divided by the number of weights.</source>
        <translation>Die gespeicherten Bits je Gewicht, die Skalenfaktoren der Punkte eingeschlossen: die Bits aller Punkte und Skalenfaktoren geteilt durch die Zahl der Gewichte.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signal-to-quantization-noise ratio: −10 log10 of the relative output error, in dB. Higher is better; each extra 10 dB is ten times less error.</source>
        <translation>Signal-Quantisierungsrausch-Verhältnis: −10 log10 des relativen Ausgabefehlers, in dB. Höher ist besser; jede weiteren 10 dB bedeuten zehnmal weniger Fehler.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The squared error the quantized weights add to a layer&apos;s outputs on the calibration images, divided by the squared outputs (their signal).</source>
        <translation>Der quadratische Fehler, den die quantisierten Gewichte den Ausgaben einer Schicht auf den Kalibrierbildern hinzufügen, geteilt durch die quadrierten Ausgaben (ihr Signal).</translation>
    </message>
</context>
<context>
    <name>NumberFormat</name>
    <message>
        <location filename="../widgets/src/numberformat.cpp" line="+12"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 b</source>
        <translation>%1 b</translation>
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
        <translation>: SVG kann nicht gezeichnet werden</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>: cannot write in this folder</source>
        <translation>: in diesen Ordner kann nicht geschrieben werden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>: choose a .png, .svg or .pdf file name</source>
        <translation>: wählen Sie einen Dateinamen mit .png, .svg oder .pdf</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>: cannot render the plot</source>
        <translation>: das Diagramm kann nicht gerendert werden</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+6"/>
        <source>Export plot</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG-Bild (*.png);;SVG-Zeichnung (*.svg);;PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+7"/>
        <source>Export table</source>
        <translation>Tabelle exportieren</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>CSV table (*.csv)</source>
        <translation>CSV-Tabelle (*.csv)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export plot...</source>
        <translation>Diagramm exportieren...</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export table as CSV...</source>
        <translation>Tabelle als CSV exportieren...</translation>
    </message>
    <message>
        <location filename="../widgets/src/graphhelpers.cpp" line="+50"/>
        <source>Points per channel</source>
        <translation>Punkte pro Kanal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Relative output error</source>
        <translation>Relativer Ausgabefehler</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory overhead</source>
        <translation>Speicher-Mehraufwand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One-point error</source>
        <translation>Fehler bei einem Punkt</translation>
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
        <translation>F: Float</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/studio/main.cpp" line="+28"/>
        <source>Multipoint post-training quantization, interactively.</source>
        <translation>Multipoint-Quantisierung nach dem Training, interaktiv.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>TorchScript model or project (.mpqproj) to open.</source>
        <translation>Zu öffnendes TorchScript-Modell oder Projekt (.mpqproj).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Folder of calibration images for the model.</source>
        <translation>Ordner mit Kalibrierungsbildern für das Modell.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open the built-in demo model.</source>
        <translation>Das integrierte Demo-Modell öffnen.</translation>
    </message>
</context>
<context>
    <name>mpq::studio::EvaluationJobs</name>
    <message>
        <location filename="../app/studio/evaluationjobs.cpp" line="+105"/>
        <source>evaluating</source>
        <translation>Auswertung läuft</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>mAP@0.5 vs float</source>
        <translation>mAP@0.5 gegenüber Float</translation>
    </message>
    <message numerus="yes">
        <location line="-37"/>
        <source>%n layers at %1 bits</source>
        <translation>
            <numerusform>%n Ebene mit %1 Bit</numerusform>
            <numerusform>%n Ebenen mit %1 Bit</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>expand ratio %1</source>
        <translation>Erweiterungsanteil %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>all layers at %1 bits</source>
        <translation>alle Ebenen mit %1 Bit</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Top-1 accuracy</source>
        <translation>Top-1-Genauigkeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-1 agreement with float</source>
        <translation>Top-1-Übereinstimmung mit Float</translation>
    </message>
</context>
<context>
    <name>mpq::studio::ExportDialog</name>
    <message>
        <location filename="../app/studio/exportdialog.cpp" line="+31"/>
        <source>Export the quantized model</source>
        <translation>Das quantisierte Modell exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fake-quant TorchScript (original architecture)</source>
        <translation>Fake-Quant-TorchScript (ursprüngliche Architektur)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expanded TorchScript (common operands)</source>
        <translation>Erweitertes TorchScript (gewöhnliche Operanden)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Integer package (int8 rows, scales, manifest)</source>
        <translation>Integer-Paket (int8-Zeilen, Skalen, Manifest)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Report (JSON and CSV)</source>
        <translation>Bericht (JSON und CSV)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fake-quant ONNX (original graph)</source>
        <translation>Fake-Quant-ONNX (ursprünglicher Graph)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QDQ ONNX (int8 weights, deployable)</source>
        <translation>QDQ-ONNX (int8-Gewichte, einsetzbar)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>ONNX export needs an ONNX source model</source>
        <translation>Der ONNX-Export braucht ein ONNX-Quellmodell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reload and verify the TorchScript exports</source>
        <translation>TorchScript-Exporte neu laden und prüfen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Runs each written model beside the in-app quantized model on the calibration images and reports the largest difference</source>
        <translation>Führt jedes geschriebene Modell neben dem quantisierten Modell der Anwendung auf den Kalibrierungsbildern aus und meldet die größte Abweichung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Formats</source>
        <translation>Formate</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Browse...</source>
        <translation>Durchsuchen...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export to folder</source>
        <translation>In Ordner exportieren</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File name</source>
        <translation>Dateiname</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Writes</source>
        <translation>Schreibt</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Cancelled. Files finished before the cancel stay; nothing half-written is left.</source>
        <translation>Abgebrochen. Vor dem Abbruch fertiggestellte Dateien bleiben erhalten; nichts Halbfertiges bleibt zurück.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>choose at least one format</source>
        <translation>wählen Sie mindestens ein Format</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Exporting</source>
        <translation>Exportiere</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Written</source>
        <translation>Geschrieben</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Cost:</source>
        <translation>Kosten:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>memory overhead %1, MAC overhead %2, effective bits %3</source>
        <translation>Speicher-Mehraufwand %1, MAC-Mehraufwand %2, effektive Bits %3</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>; %n layer(s) kept float (%1 of the MACs, run in float, not charged)</source>
        <translation>
            <numerusform>; %n Schicht in Float (%1 der MACs, laufen in Float, nicht angerechnet)</numerusform>
            <numerusform>; %n Schichten in Float (%1 der MACs, laufen in Float, nicht angerechnet)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>; no layer kept float</source>
        <translation>; keine Schicht in Float</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Verification passed: the largest relative difference from the in-app model is %1 (limit 1e-4).</source>
        <translation>Prüfung bestanden: Die größte relative Abweichung vom Modell der Anwendung beträgt %1 (Grenze 1e-4).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Verification failed&lt;/b&gt;: the largest relative difference from the in-app model is %1 (limit 1e-4).</source>
        <translation>&lt;b&gt;Prüfung fehlgeschlagen&lt;/b&gt;: Die größte relative Abweichung vom Modell der Anwendung beträgt %1 (Grenze 1e-4).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The export failed.</source>
        <translation>Der Export ist fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>mpq::studio::ExportJobs</name>
    <message>
        <location filename="../app/studio/exportjobs.cpp" line="+23"/>
        <source>verified on %1 images: largest relative difference %2</source>
        <translation>an %1 Bildern geprüft: größte relative Abweichung %2</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>not verified</source>
        <translation>nicht geprüft</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>writing the fake-quant TorchScript</source>
        <translation>schreibe das Fake-Quant-TorchScript</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>writing the expanded TorchScript</source>
        <translation>schreibe das erweiterte TorchScript</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>writing the fake-quant ONNX model</source>
        <translation>das Fake-Quant-ONNX-Modell wird geschrieben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>writing the QDQ ONNX model</source>
        <translation>das QDQ-ONNX-Modell wird geschrieben</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>; runs %1 % more MACs than the float model</source>
        <translation>; führt %1 % mehr MACs aus als das Float-Modell</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>; extra MACs run %1 %, predicted %2 %</source>
        <translation>; zusätzliche MACs gemessen %1 %, vorhergesagt %2 %</translation>
    </message>
    <message>
        <location line="-57"/>
        <source>writing the integer package</source>
        <translation>schreibe das Integer-Paket</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>folder, see docs/integer-package.md</source>
        <translation>Ordner, siehe docs/integer-package.md</translation>
    </message>
    <message>
        <location line="-62"/>
        <source>writing the report</source>
        <translation>schreibe den Bericht</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>per-layer table and totals</source>
        <translation>Tabelle pro Schicht und Summen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the same as CSV</source>
        <translation>dasselbe als CSV</translation>
    </message>
</context>
<context>
    <name>mpq::studio::JobProgressWidget</name>
    <message>
        <location filename="../app/studio/jobprogresswidget.cpp" line="+28"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel the running job (Esc)</source>
        <translation>Den laufenden Auftrag abbrechen (Esc)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>00:00 left</source>
        <translation>noch 00:00</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cancelling…</source>
        <translation>breche ab…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1, %2 %</source>
        <translation>%1, %2 %</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1:%2 left</source>
        <translation>noch %1:%2</translation>
    </message>
</context>
<context>
    <name>mpq::studio::LayerChangeModel</name>
    <message>
        <location filename="../app/studio/rundiffwindow.cpp" line="+98"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points A → B</source>
        <translation>Punkte A → B</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Relative error A → B</source>
        <translation>Relativer Fehler A → B</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory change</source>
        <translation>Speicheränderung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SQNR change</source>
        <translation>SQNR-Änderung</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1: points %2 → %3, relative error %4 → %5, cost %6 bits</source>
        <translation>%1: Punkte %2 → %3, relativer Fehler %4 → %5, Kosten %6 Bit</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>only in A</source>
        <translation>nur in A</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>only in B</source>
        <translation>nur in B</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> pp</source>
        <translation> Pp.</translation>
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
        <translation>Schichten filtern (Strg+F), z. B. layer1*conv</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>Fixed points</source>
        <translation>Feste Punktzahl</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n point(s) per channel</source>
        <translation>
            <numerusform>%n Punkt pro Kanal</numerusform>
            <numerusform>%n Punkte pro Kanal</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Other bits</source>
        <translation>Andere Bitbreite</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 bits</source>
        <translation>%1 Bit</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Runs the calibration images again for this layer</source>
        <translation>Führt die Kalibrierungsbilder für diese Schicht erneut aus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep float</source>
        <translation>Float beibehalten</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Clear override</source>
        <translation>Überschreibung entfernen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export table as CSV…</source>
        <translation>Tabelle als CSV exportieren…</translation>
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
        <translation>Abgebrochen; nichts wurde geändert.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Evaluation failed: %1</source>
        <translation>Auswertung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Warnings</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindowmenus.cpp" line="+31"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Open model…</source>
        <translation>Modell ö&amp;ffnen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the &amp;demo detector</source>
        <translation>&amp;Demo-Detektor öffnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit model &amp;profile…</source>
        <translation>Modell&amp;profil bearbeiten…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Sensitivity</source>
        <translation>&amp;Sensitivität</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Allocation</source>
        <translation>&amp;Zuteilung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Channels</source>
        <translation>&amp;Kanäle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Preview</source>
        <translation>&amp;Vorschau</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>C&amp;ompare</source>
        <translation>Ver&amp;gleich</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Graph</source>
        <translation>&amp;Modellgraph</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Filter layers</source>
        <translation>Schichten &amp;filtern</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Analysis</source>
        <translation>A&amp;nalyse</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Analyze</source>
        <translation>&amp;Analysieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Cancel</source>
        <translation>Ab&amp;brechen</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindowruns.cpp" line="+30"/>
        <source>&amp;Pin this run…</source>
        <translation>Diesen Lauf an&amp;heften…</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindowmenus.cpp" line="+6"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Glossary</source>
        <translation>&amp;Glossar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;About MPQ Studio</source>
        <translation>Ü&amp;ber MPQ Studio</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="+28"/>
        <source>Models (*.pt *.pth *.torchscript *.onnx);;TorchScript (*.pt *.pth *.torchscript);;ONNX (*.onnx);;All files (*)</source>
        <translation>Modelle (*.pt *.pth *.torchscript *.onnx);;TorchScript (*.pt *.pth *.torchscript);;ONNX (*.onnx);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindowruns.cpp" line="+48"/>
        <source>Analyze the model first: there is no allocation to pin.</source>
        <translation>Analysieren Sie zuerst das Modell: Es gibt keine Zuteilung zum Anheften.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The allocation is being recomputed for the new analysis.</source>
        <translation>Die Zuteilung wird für die neue Analyse neu berechnet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The allocation shown does not match the settings (being recomputed or refused).</source>
        <translation>Die angezeigte Zuteilung passt nicht zu den Einstellungen (sie wird neu berechnet oder wurde abgelehnt).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Wait until the running job ends: it may change the allocation.</source>
        <translation>Warten Sie, bis der laufende Auftrag endet: Er kann die Zuteilung ändern.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Keep the current allocation as a named run</source>
        <translation>Die aktuelle Zuteilung als benannten Lauf behalten</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Preview not evaluated for this run: its predictions are not compared.</source>
        <translation>Vorschau für diesen Lauf nicht ausgewertet: Seine Vorhersagen werden nicht verglichen.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Pin this run</source>
        <translation>Diesen Lauf anheften</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name of the run:</source>
        <translation>Name des Laufs:</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Pinned the run &quot;%1&quot;.</source>
        <translation>Lauf „%1“ angeheftet.</translation>
    </message>
    <message>
        <location line="-86"/>
        <location line="+98"/>
        <source>current state</source>
        <translation>aktueller Stand</translation>
    </message>
    <message>
        <location filename="../app/studio/aboutbox.cpp" line="+20"/>
        <source>About MPQ Studio</source>
        <translation>Über MPQ Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;MPQ Studio %1&lt;/b&gt;&lt;p&gt;Multipoint post-training quantization: per-channel points allocated from measured output errors (Liu et al., AAAI 2021).&lt;/p&gt;&lt;p&gt;Qt %2, LibTorch %3, OpenCV %4, QCustomPlot %5&lt;/p&gt;</source>
        <translation>&lt;b&gt;MPQ Studio %1&lt;/b&gt;&lt;p&gt;Multipoint-Quantisierung nach dem Training: Punkte pro Kanal, zugeteilt anhand gemessener Ausgabefehler (Liu et al., AAAI 2021).&lt;/p&gt;&lt;p&gt;Qt %2, LibTorch %3, OpenCV %4, QCustomPlot %5&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Glossary — MPQ Studio</source>
        <translation>Glossar — MPQ Studio</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindow.cpp" line="-1"/>
        <source>Open model</source>
        <translation>Modell öffnen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Opening %1</source>
        <translation>Öffne %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Unreadable model profile</source>
        <translation>Unlesbares Modellprofil</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1

Replace it with a new profile?</source>
        <translation>%1

Durch ein neues Profil ersetzen?</translation>
    </message>
    <message>
        <location line="+50"/>
        <location line="+37"/>
        <source>Loaded the cached analysis for these settings.</source>
        <translation>Die zwischengespeicherte Analyse für diese Einstellungen wurde geladen.</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Nothing to analyze</source>
        <translation>Nichts zu analysieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open a model first (Ctrl+O).</source>
        <translation>Öffnen Sie zuerst ein Modell (Strg+O).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No calibration images</source>
        <translation>Keine Kalibrierungsbilder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a folder of calibration images in the Settings panel.</source>
        <translation>Wählen Sie im Bereich „Einstellungen“ einen Ordner mit Kalibrierungsbildern.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: no such folder</source>
        <translation>%1: Ordner nicht gefunden</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Analyzing</source>
        <translation>Analysiere</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Analysis finished in %1 s.</source>
        <translation>Analyse in %1 s abgeschlossen.</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>Wait for the running job, or cancel it (Esc).</source>
        <translation>Warten Sie auf den laufenden Auftrag oder brechen Sie ihn ab (Esc).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Curves of %1 at %2 bits</source>
        <translation>Kurven von %1 bei %2 Bit</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 — %2 memory, %3 — MPQ Studio</source>
        <translation>%1 — %2 Speicher, %3 — MPQ Studio</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 — MPQ Studio</source>
        <translation>%1 — MPQ Studio</translation>
    </message>
    <message>
        <location filename="../app/studio/mainwindowmenus.cpp" line="+55"/>
        <source>Calibration images: %1</source>
        <translation>Kalibrierungsbilder: %1</translation>
    </message>
</context>
<context>
    <name>mpq::studio::OutputActions</name>
    <message>
        <location filename="../app/studio/outputactions.cpp" line="+47"/>
        <source>&amp;Export quantized model…</source>
        <translation>Quantisiertes Modell &amp;exportieren…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export &amp;plot…</source>
        <translation>&amp;Diagramm exportieren…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export plot</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The current page shows no plot yet.</source>
        <translation>Die aktuelle Seite zeigt noch kein Diagramm.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export &amp;layers table as CSV…</source>
        <translation>&amp;Schichtentabelle als CSV exportieren…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>epsilon %1</source>
        <translation>Epsilon %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a %1 %2 budget</source>
        <translation>ein %2-Budget von %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>memory</source>
        <translation>Speicher</translation>
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
            <numerusform> mit %n Überschreibung</numerusform>
            <numerusform> mit %n Überschreibungen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 at %2 bits</source>
        <translation>%1 bei %2 Bit</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>, on the test images in %1</source>
        <translation>, auf den Testbildern in %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, on the calibration images</source>
        <translation>, auf den Kalibrierbildern</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Analyze the model first: the export writes the current allocation.</source>
        <translation>Analysieren Sie zuerst das Modell: Der Export schreibt die aktuelle Zuteilung.</translation>
    </message>
</context>
<context>
    <name>mpq::studio::PreferencesDialog</name>
    <message>
        <location filename="../app/studio/preferencesdialog.cpp" line="+50"/>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> bits</source>
        <translation> Bit</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>all cores but one</source>
        <translation>alle Kerne bis auf einen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>keep nothing</source>
        <translation>nichts behalten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Finished analyses are kept on disk (shared with the mpq command), so the same model with the same settings and images is analysed once. The least recently used go first when the cache would exceed this size.</source>
        <translation>Fertige Analysen werden auf der Festplatte aufbewahrt (gemeinsam mit dem Befehl mpq), sodass dasselbe Modell mit denselben Einstellungen und Bildern nur einmal analysiert wird. Die am längsten nicht benutzten werden zuerst entfernt, wenn der Cache diese Größe überschreiten würde.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Default bits</source>
        <translation>Standard-Bitbreite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default max points</source>
        <translation>Standardhöchstzahl der Punkte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Worker threads</source>
        <translation>Arbeitsthreads</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Analysis cache limit</source>
        <translation>Grenze des Analyse-Caches</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The language applies at the next start.</source>
        <translation>Die Sprache wird beim nächsten Start übernommen.</translation>
    </message>
</context>
<context>
    <name>mpq::studio::PreviewController</name>
    <message>
        <location filename="../app/studio/previewrundiff.cpp" line="+24"/>
        <source>A: %1 %2 % → B: %3 %4 %</source>
        <translation>A: %1 %2 % → B: %3 %4 %</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n detection(s) lost</source>
        <translation>
            <numerusform>%n Erkennung verloren</numerusform>
            <numerusform>%n Erkennungen verloren</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n added</source>
        <translation>
            <numerusform>%n hinzugekommen</numerusform>
            <numerusform>%n hinzugekommen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n moved</source>
        <translation>
            <numerusform>%n verschoben</numerusform>
            <numerusform>%n verschoben</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A → B: %1</source>
        <translation>A → B: %1</translation>
    </message>
    <message>
        <location filename="../app/studio/previewcontroller.cpp" line="+64"/>
        <source>%1 %2 %</source>
        <translation>%1 %2 %</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+4"/>
        <source>Evaluation failed: %1</source>
        <translation>Auswertung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>The sweep failed: %1</source>
        <translation>Der Durchlauf ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The comparison was cancelled.</source>
        <translation>Der Vergleich wurde abgebrochen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The sweep was cancelled.</source>
        <translation>Der Durchlauf wurde abgebrochen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The comparison was interrupted by a newer evaluation.</source>
        <translation>Der Vergleich wurde durch eine neuere Auswertung unterbrochen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The sweep was interrupted by a newer evaluation.</source>
        <translation>Der Durchlauf wurde durch eine neuere Auswertung unterbrochen.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The explanation failed: %1</source>
        <translation>Die Erklärung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The explanation was cancelled.</source>
        <translation>Die Erklärung wurde abgebrochen.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Evaluating the preview for the new model or analysis...</source>
        <translation>Die Vorschau wird für das neue Modell oder die neue Analyse ausgewertet...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The model profile changed: the preview is evaluated again with it.</source>
        <translation>Das Modellprofil hat sich geändert: die Vorschau wird damit neu ausgewertet.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose a folder of sample images in the Settings panel to preview the model&apos;s predictions.</source>
        <translation>Wählen Sie im Bereich „Einstellungen“ einen Ordner mit Beispielbildern, um eine Vorschau der Vorhersagen des Modells zu sehen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run the analysis: the Preview then shows what the float and the quantized model say about the sample images at the current setting.</source>
        <translation>Führen Sie die Analyse aus: Die Vorschau zeigt dann, was das Float- und das quantisierte Modell bei der aktuellen Einstellung zu den Beispielbildern sagen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>waiting for %1</source>
        <translation>warte auf %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Evaluating the preview</source>
        <translation>Werte die Vorschau aus</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Comparing the methods at %1...</source>
        <translation>Vergleiche die Methoden bei %1...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Comparing methods</source>
        <translation>Vergleiche Methoden</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Sweeping %1...</source>
        <translation>Durchlauf für %1...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sweeping budgets</source>
        <translation>Budgets werden durchlaufen</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>memory budgets %1 at %2 bits</source>
        <translation>Speicherbudgets %1 bei %2 Bit</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> with %n override(s)</source>
        <translation>
            <numerusform> mit %n Festlegung</numerusform>
            <numerusform> mit %n Festlegungen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, on the test images in %1</source>
        <translation>, auf den Testbildern in %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, on the calibration images</source>
        <translation>, auf den Kalibrierbildern</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The model or its analysis changed: Run sweep to measure every method on it.</source>
        <translation>Das Modell oder seine Analyse hat sich geändert: „Durchlauf starten“ misst jede Methode daran.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run the analysis, then Run sweep: every method is measured on the sample images at memory budgets from 0 to 50 %, one curve per method.</source>
        <translation>Führen Sie die Analyse aus, dann „Durchlauf starten“: jede Methode wird auf den Beispielbildern bei Speicherbudgets von 0 bis 50 % gemessen, eine Kurve je Methode.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Out of date: the model profile changed since this sweep of %1. Run sweep to update it.</source>
        <translation>Veraltet: das Modellprofil hat sich seit diesem Durchlauf für %1 geändert. „Durchlauf starten“ aktualisiert ihn.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Out of date: this sweep is for %1; the images or overrides have changed since. Run sweep to update it.</source>
        <translation>Veraltet: dieser Durchlauf gilt für %1; die Bilder oder Festlegungen haben sich seitdem geändert. „Durchlauf starten“ aktualisiert ihn.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sweep for %1</source>
        <translation>Durchlauf für %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 The sweep shown is for %2.</source>
        <translation>%1 Der gezeigte Durchlauf gilt für %2.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 Run sweep to start it again.</source>
        <translation>%1 „Durchlauf starten“ startet ihn erneut.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The model or its analysis changed: Run comparison to measure every method on it.</source>
        <translation>Das Modell oder seine Analyse hat sich geändert: „Vergleich starten“ misst jede Methode daran.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run the analysis, then Run comparison: every method is measured on the sample images at the same memory overhead.</source>
        <translation>Führen Sie die Analyse aus, dann „Vergleich starten“: jede Methode wird auf den Beispielbildern beim gleichen Speicher-Mehraufwand gemessen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Out of date: the model profile changed since these figures for %1. Run comparison to update them.</source>
        <translation>Veraltet: das Modellprofil hat sich seit diesen Werten für %1 geändert. „Vergleich starten“ aktualisiert sie.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Out of date: these figures are for %1; the current setting is %2. Run comparison to update them.</source>
        <translation>Veraltet: diese Werte gelten für %1; die aktuelle Einstellung ist %2. „Vergleich starten“ aktualisiert sie.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Figures for %1</source>
        <translation>Werte für %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 The figures shown are for %2.</source>
        <translation>%1 Die gezeigten Werte gelten für %2.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 Run comparison to start it again.</source>
        <translation>%1 „Vergleich starten“ startet ihn erneut.</translation>
    </message>
    <message>
        <location filename="../app/studio/previewexplain.cpp" line="+42"/>
        <source>Explaining %1 at %2...</source>
        <translation>Erkläre %1 bei %2...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Explaining the prediction</source>
        <translation>Vorhersage wird erklärt</translation>
    </message>
    <message numerus="yes">
        <location line="+43"/>
        <source>Apply the explanation&apos;s %n override(s)</source>
        <translation>
            <numerusform>Die %n Festlegung der Erklärung anwenden</numerusform>
            <numerusform>Die %n Festlegungen der Erklärung anwenden</numerusform>
        </translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Raise the budget to %1 and apply</source>
        <translation>Budget auf %1 erhöhen und anwenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Under the budget rule the pins are charged first, so other layers lose points to pay for them and the image may still differ. This raises the budget from %1 by what the set costs, to %2, and sets the overrides: one step, Edit &gt; Undo reverts both.</source>
        <translation>Bei der Budgetregel werden die Festlegungen zuerst berechnet, andere Schichten verlieren dafür Punkte, und das Bild kann weiterhin abweichen. Dies erhöht das Budget von %1 um die Kosten der Menge auf %2 und setzt die Überschreibungen: ein Schritt, Bearbeiten &gt; Rückgängig nimmt beides zurück.</translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source>Raise the budget to %1 and apply the explanation&apos;s %n override(s)</source>
        <translation>
            <numerusform>Budget auf %1 erhöhen und die %n Überschreibung der Erklärung anwenden</numerusform>
            <numerusform>Budget auf %1 erhöhen und die %n Überschreibungen der Erklärung anwenden</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Applied as overrides with the budget raised from %1 to %2 (one step: Edit &gt; Undo reverts both).</source>
        <translation>Als Überschreibungen angewendet, Budget von %1 auf %2 erhöht (ein Schritt: Bearbeiten &gt; Rückgängig nimmt beides zurück).</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Checked on the Preview: %1 still differs from the float prediction (other layers paid for the pins).</source>
        <translation>In der Vorschau geprüft: %1 weicht weiterhin von der Gleitkomma-Vorhersage ab (andere Schichten haben die Festlegungen bezahlt).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checked on the Preview: %1 still differs from the float prediction.</source>
        <translation>In der Vorschau geprüft: %1 weicht weiterhin von der Gleitkomma-Vorhersage ab.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checked on the Preview: %1 gives the float prediction again.</source>
        <translation>In der Vorschau geprüft: %1 ergibt wieder die Gleitkomma-Vorhersage.</translation>
    </message>
    <message>
        <location filename="../app/studio/previewrundiff.cpp" line="+66"/>
        <source>Predictions are not compared: both runs must be evaluated on the Preview page.</source>
        <translation>Vorhersagen werden nicht verglichen: beide Läufe müssen auf der Seite Vorschau ausgewertet sein.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Out of date: B was the current state when marked; the allocation has changed since.</source>
        <translation>Veraltet: B war beim Markieren der aktuelle Stand; die Zuteilung hat sich seitdem geändert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The runs are of different models.</source>
        <translation>Die Läufe gehören zu verschiedenen Modellen.</translation>
    </message>
    <message>
        <location filename="../app/studio/previewexplain.cpp" line="+16"/>
        <source>The model or its analysis changed: the explanation was removed.</source>
        <translation>Das Modell oder seine Analyse hat sich geändert: Die Erklärung wurde entfernt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Out of date: the allocation changed since this explanation.</source>
        <translation>Veraltet: Die Zuteilung hat sich seit dieser Erklärung geändert.</translation>
    </message>
</context>
<context>
    <name>mpq::studio::ProfileDialog</name>
    <message>
        <location filename="../app/studio/profiledialog.cpp" line="+60"/>
        <source>Model profile: %1</source>
        <translation>Modellprofil: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classification</source>
        <translation>Klassifikation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detection</source>
        <translation>Detektion</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> px</source>
        <translation> px</translation>
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
        <translation>Graustufen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stretch</source>
        <translation>Strecken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Letterbox</source>
        <translation>Letterbox</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Centre crop</source>
        <translation>Mittiger Zuschnitt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NCHW (channels first)</source>
        <translation>NCHW (Kanäle zuerst)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NHWC (channels last)</source>
        <translation>NHWC (Kanäle zuletzt)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the model takes its input batch: channels first (PyTorch) or channels last (as TensorFlow models converted to ONNX take it)</source>
        <translation>Wie das Modell seinen Eingabe-Batch erwartet: Kanäle zuerst (PyTorch) oder Kanäle zuletzt (so erwarten ihn nach ONNX konvertierte TensorFlow-Modelle)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>One value per channel, after scaling, comma-separated</source>
        <translation>Ein Wert pro Kanal, nach der Skalierung, durch Kommas getrennt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One value per channel, all &gt; 0, comma-separated</source>
        <translation>Ein Wert pro Kanal, alle &gt; 0, durch Kommas getrennt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logits</source>
        <translation>Logits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Probabilities</source>
        <translation>Wahrscheinlichkeiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CenterNet heatmaps</source>
        <translation>CenterNet-Heatmaps</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Boxes and scores</source>
        <translation>Boxen und Scores</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>YOLO</source>
        <translation>YOLO</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Torchvision detection</source>
        <translation>Torchvision-Detektion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One class name per line (optional)</source>
        <translation>Ein Klassenname pro Zeile (optional)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This model has no profile yet: say how to feed it images and how to read its output. The values below are guesses from the model; it is saved as %1.</source>
        <translation>Dieses Modell hat noch kein Profil: Geben Sie an, wie es Bilder erhält und wie seine Ausgabe zu lesen ist. Die Werte unten sind aus dem Modell geschätzt; das Profil wird als %1 gespeichert.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Task:</source>
        <translation>&amp;Aufgabe:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Input &amp;width:</source>
        <translation>Eingabe&amp;breite:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Input &amp;height:</source>
        <translation>Eingabe&amp;höhe:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Colour order:</source>
        <translation>&amp;Farbreihenfolge:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Resize:</source>
        <translation>&amp;Größenanpassung:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Layout:</source>
        <translation>Achsen&amp;reihenfolge:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Scale:</source>
        <translation>&amp;Skalierung:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Mean:</source>
        <translation>&amp;Mittelwert:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;td:</source>
        <translation>S&amp;tandardabweichung:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Decoder:</source>
        <translation>&amp;Decoder:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Labels:</source>
        <translation>&amp;Labels:</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Mean and std need numbers separated by commas.</source>
        <translation>Mittelwert und Standardabweichung brauchen durch Kommas getrennte Zahlen.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>mpq::studio::Project</name>
    <message>
        <location filename="../app/studio/projectfile.cpp" line="+253"/>
        <source>%1 was moved or deleted</source>
        <translation>%1 wurde verschoben oder gelöscht</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 changed since the project was saved (its SHA-256 differs); the saved analysis no longer applies</source>
        <translation>%1 hat sich seit dem Speichern des Projekts geändert (die SHA-256 weicht ab); die gespeicherte Analyse gilt nicht mehr</translation>
    </message>
</context>
<context>
    <name>mpq::studio::ProjectActions</name>
    <message>
        <location filename="../app/studio/projectactions.cpp" line="+46"/>
        <source>Autosave failed: %1</source>
        <translation>Automatisches Speichern fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open p&amp;roject…</source>
        <translation>P&amp;rojekt öffnen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+82"/>
        <location line="+6"/>
        <location line="+23"/>
        <source>Open project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <location line="-110"/>
        <location line="+11"/>
        <source>MPQ Studio projects (*.mpqproj)</source>
        <translation>MPQ-Studio-Projekte (*.mpqproj)</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+46"/>
        <location line="+12"/>
        <source>Save project</source>
        <translation>Projekt speichern</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>&amp;Save project</source>
        <translation>Projekt &amp;speichern</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save project &amp;as…</source>
        <translation>Projekt speichern &amp;unter…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Open a model first.</source>
        <translation>Öffnen Sie zuerst ein Modell.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The saved analysis was not used: %1</source>
        <translation>Die gespeicherte Analyse wurde nicht verwendet: %1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Recover the last session?</source>
        <translation>Letzte Sitzung wiederherstellen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MPQ Studio did not close cleanly. Restore the project you were working on (%1)?</source>
        <translation>MPQ Studio wurde nicht ordnungsgemäß beendet. Das Projekt wiederherstellen, an dem Sie gearbeitet haben (%1)?</translation>
    </message>
</context>
<context>
    <name>mpq::studio::RunDiffWindow</name>
    <message>
        <location filename="../app/studio/rundiffwindow.cpp" line="-123"/>
        <source>float</source>
        <translation>Float</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>class %1</source>
        <translation>Klasse %1</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>%n box(es)</source>
        <translation>
            <numerusform>%n Box</numerusform>
            <numerusform>%n Boxen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+145"/>
        <source>Diff of two runs</source>
        <translation>Vergleich zweier Läufe</translation>
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
        <translation>Bild</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Double-click an image to see both predictions drawn on it</source>
        <translation>Doppelklicken Sie auf ein Bild, um beide Vorhersagen darauf eingezeichnet zu sehen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Both runs on the trade-off</source>
        <translation>Beide Läufe in der Abwägung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total relative output error (sum over layers)</source>
        <translation>Relativer Gesamtausgabefehler (Summe über Schichten)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory overhead (%)</source>
        <translation>Speicher-Mehraufwand (%)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Changed layers, largest change first (red: more error or more memory; green: less)</source>
        <translation>Geänderte Schichten, größte Änderung zuerst (rot: mehr Fehler oder mehr Speicher; grün: weniger)</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>%1 is no longer where the runs evaluated it.</source>
        <translation>%1 liegt nicht mehr dort, wo die Läufe es ausgewertet haben.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Diff: %1 ↔ %2</source>
        <translation>Vergleich: %1 ↔ %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;A&lt;/b&gt;: %1 &lt;i&gt;(%2)&lt;/i&gt; &amp;nbsp; &lt;b&gt;B&lt;/b&gt;: %3 &lt;i&gt;(%4)&lt;/i&gt;</source>
        <translation>&lt;b&gt;A&lt;/b&gt;: %1 &lt;i&gt;(%2)&lt;/i&gt; &amp;nbsp; &lt;b&gt;B&lt;/b&gt;: %3 &lt;i&gt;(%4)&lt;/i&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>These runs are of different models (%1); layers are matched by name.</source>
        <translation>Diese Läufe stammen von verschiedenen Modellen (%1); Schichten werden über ihren Namen zugeordnet.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Memory overhead</source>
        <translation>Speicher-Mehraufwand</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <location line="+9"/>
        <source> pp</source>
        <translation> Pp.</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>MAC overhead</source>
        <translation>MAC-Mehraufwand</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Effective bits</source>
        <translation>Effektive Bits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Total error</source>
        <translation>Gesamtfehler</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Float MAC share</source>
        <translation>Float-Anteil der MACs</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layers changed</source>
        <translation>Geänderte Schichten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Task metric</source>
        <translation>Aufgabenmetrik</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>not evaluated</source>
        <translation>nicht ausgewertet</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Threshold rule</source>
        <translation>Schwellenwertregel</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Memory budget rule</source>
        <translation>Speicherbudget-Regel</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Curves: the current analysis at %1 bits with A&apos;s settings.</source>
        <translation>Kurven: die aktuelle Analyse bei %1 Bit mit den Einstellungen von A.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The trade-off curves are not shown: the current analysis is not the one these runs were made from.</source>
        <translation>Die Abwägungskurven werden nicht gezeigt: Die aktuelle Analyse ist nicht die, aus der diese Läufe entstanden sind.</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Predictions are not compared: both runs must be evaluated on the Preview page.</source>
        <translation>Vorhersagen werden nicht verglichen: Beide Läufe müssen auf der Seite „Vorschau“ ausgewertet sein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 of %2 images differ in their predictions, largest change first.</source>
        <translation>%1 von %2 Bildern unterscheiden sich in ihren Vorhersagen, größte Änderung zuerst.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>class changed</source>
        <translation>Klasse geändert</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 lost</source>
        <translation>%1 verloren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 added</source>
        <translation>%1 hinzugekommen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 moved</source>
        <translation>%1 verschoben</translation>
    </message>
</context>
<context>
    <name>mpq::studio::RunsModel</name>
    <message>
        <location filename="../app/studio/runspanel.cpp" line="+30"/>
        <source>%1 (other model: %2)</source>
        <translation>%1 (anderes Modell: %2)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1
Pinned %2
Model %3
Memory overhead %4, total error %5</source>
        <translation>%1
Angeheftet %2
Modell %3
Speicher-Mehraufwand %4, Gesamtfehler %5</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>
%1 %2 on %3 images</source>
        <translation>
%1 %2 auf %3 Bildern</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>
Not evaluated</source>
        <translation>
Nicht ausgewertet</translation>
    </message>
</context>
<context>
    <name>mpq::studio::RunsPanel</name>
    <message>
        <location line="+72"/>
        <source>Pin this run</source>
        <translation>Diesen Lauf anheften</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diff with current</source>
        <translation>Mit aktuellem Stand vergleichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diff selected two</source>
        <translation>Die zwei gewählten vergleichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark differences on Preview</source>
        <translation>Unterschiede in der Vorschau markieren</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+62"/>
        <source>Keep the current allocation and its figures as a named run</source>
        <translation>Die aktuelle Zuteilung und ihre Kennzahlen als benannten Lauf behalten</translation>
    </message>
    <message>
        <location line="-61"/>
        <source>Compare the selected run with the current state</source>
        <translation>Den gewählten Lauf mit dem aktuellen Stand vergleichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare the two selected runs</source>
        <translation>Die zwei gewählten Läufe vergleichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the selected run as a snapshot file for mpq diff</source>
        <translation>Den gewählten Lauf als Snapshot-Datei für mpq diff speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark on the Preview page the images whose predictions differ between the selected run and the current state, or between the two selected runs</source>
        <translation>Markiert auf der Seite Vorschau die Bilder, deren Vorhersagen sich zwischen dem gewählten Lauf und dem aktuellen Stand oder zwischen den zwei gewählten Läufen unterscheiden</translation>
    </message>
    <message>
        <location line="+91"/>
        <location line="+7"/>
        <source>Export run</source>
        <translation>Lauf exportieren</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Run snapshots (*.json)</source>
        <translation>Lauf-Snapshots (*.json)</translation>
    </message>
</context>
<context>
    <name>mpq::studio::SettingsPanel</name>
    <message>
        <location filename="../app/studio/settingspanel.cpp" line="+35"/>
        <source>&amp;Half-step pair</source>
        <translation>&amp;Halbschritt-Paar</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Bias &amp;correction</source>
        <translation>Bias-&amp;Korrektur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Weight by output sensitivity</source>
        <translation>Nach Ausgabe-Sensitivität &amp;gewichten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Analyze</source>
        <translation>Analysieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+46"/>
        <location line="+9"/>
        <source> bits</source>
        <translation> Bit</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Bits of each point (2..8)</source>
        <translation>Bits jedes Punkts (2..8)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The most points a channel may get (1..8)</source>
        <translation>Höchstzahl der Punkte eines Kanals (1..8)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>exact</source>
        <translation>exakt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>grid</source>
        <translation>Raster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How each point&apos;s scale is searched: the exact optimum, or the paper&apos;s grid reference</source>
        <translation>Wie die Skala jedes Punkts gesucht wird: das exakte Optimum oder die Rasterreferenz des Papers</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>folder of images</source>
        <translation>Bilderordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calibration images: every png/jpg/bmp/webp under this folder</source>
        <translation>Kalibrierungsbilder: alle png/jpg/bmp/webp in diesem Ordner</translation>
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
        <translation>Den Ordner mit Kalibrierungsbildern wählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the calibration images</source>
        <translation>die Kalibrierbilder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test images: the Preview and Compare evaluate on this folder when set, else on the calibration images</source>
        <translation>Testbilder: Vorschau und Vergleich werten auf diesem Ordner aus, wenn er gesetzt ist, sonst auf den Kalibrierbildern</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose the folder of test images</source>
        <translation>Ordner der Testbilder wählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings changed: Analyze to apply. The plots show the previous analysis.</source>
        <translation>Einstellungen geändert: „Analysieren“ übernimmt sie. Die Diagramme zeigen die vorige Analyse.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Calibration images used, at most (a fixed, seeded choice)</source>
        <translation>Höchstzahl verwendeter Kalibrierungsbilder (eine feste, per Seed bestimmte Auswahl)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nearest</source>
        <translation>nächste Stufe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>output-aware</source>
        <translation>ausgabebewusst</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;p&gt;How each point&apos;s codes are rounded: to the nearest level (the paper&apos;s rule), or output-aware: column by column, each rounding error fed back into the weights not yet rounded through the layer&apos;s input correlations, so the layer&apos;s output error is smaller. Costs one more pass over the calibration images; per-layer mixed precision in Compare uses the same rounding. A layer with more than 8192 inputs per channel is rounded to nearest, with a warning naming it.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Wie die Codes jedes Punkts gerundet werden: auf die nächste Stufe (die Regel des Artikels) oder ausgabebewusst: Spalte für Spalte, wobei jeder Rundungsfehler über die Korrelationen der Eingaben der Schicht in die noch nicht gerundeten Gewichte zurückgeführt wird, sodass der Ausgabefehler der Schicht kleiner wird. Kostet einen weiteren Durchlauf über die Kalibrierbilder; die gemischte Präzision pro Schicht im Vergleich nutzt dieselbe Rundung. Eine Schicht mit mehr als 8192 Eingaben pro Kanal wird auf die nächste Stufe gerundet, mit einer Warnung, die sie nennt.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>same as the bits</source>
        <translation>wie die Bits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;Bits of each point after a channel&apos;s first. The same as the bits is the paper&apos;s rule; fewer make an extra point cheaper in memory (1: a sign point, codes -1 and +1), so a memory budget buys more of them, while each still costs a full set of multiply-accumulates.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Bits jedes Punkts nach dem ersten eines Kanals. Wie die Bits ist die Regel des Artikels; weniger machen einen zusätzlichen Punkt im Speicher billiger (1: ein Vorzeichenpunkt, Codes -1 und +1), sodass ein Speicherbudget mehr davon kauft, während jeder weiterhin einen vollen Satz Multiplikationen-Akkumulationen kostet.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> bit</source>
        <translation> Bit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;With 1-bit extra points: round each channel&apos;s first two points together as one grid, a point at twice the step and a point of codes 0 and 1 (one bit more than the bits, less one level, zero included), while a channel given one point keeps its best single point. Costs the same memory as a sign point.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Mit 1-Bit-Zusatzpunkten: die ersten beiden Punkte jedes Kanals gemeinsam auf einem Raster runden, ein Punkt mit doppelter Schrittweite und ein Punkt mit den Codes 0 und 1 (ein Bit mehr als die Bits, eine Stufe weniger, die Null eingeschlossen), während ein Kanal mit einem Punkt seinen besten Einzelpunkt behält. Kostet so viel Speicher wie ein Vorzeichenpunkt.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>8 bits</source>
        <translation>8 Bit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fake-quantize layer inputs when the quantized model runs</source>
        <translation>Schichteingaben beim Ausführen des quantisierten Modells fake-quantisieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Analyze the model with these settings (Ctrl+R)</source>
        <translation>Das Modell mit diesen Einstellungen analysieren (Strg+R)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel the running job (Esc)</source>
        <translation>Den laufenden Auftrag abbrechen (Esc)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Analysis</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Bits:</source>
        <translation>&amp;Bits:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Max points:</source>
        <translation>&amp;Max. Punkte:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Search:</source>
        <translation>&amp;Suche:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Rounding:</source>
        <translation>&amp;Rundung:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E&amp;xtra points:</source>
        <translation>Zusatzp&amp;unkte:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Images:</source>
        <translation>&amp;Bilder:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Test images:</source>
        <translation>&amp;Testbilder:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Count:</source>
        <translation>An&amp;zahl:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ac&amp;tivations:</source>
        <translation>Ak&amp;tivierungen:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Allocation</source>
        <translation>Zuteilung</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;p&gt;Add the mean output error each layer&apos;s quantized weights cause on the calibration images back to its bias (Nagel et al. 2019), for multipoint and every baseline. The allocation then sees the error left after the correction. Exports carry the corrected biases.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Addiert den mittleren Ausgabefehler, den die quantisierten Gewichte jeder Schicht auf den Kalibrierungsbildern verursachen, wieder auf ihren Bias (Nagel et al. 2019), für Multipoint und jede Vergleichsmethode. Die Zuteilung sieht dann den Fehler, der nach der Korrektur übrig bleibt. Exporte enthalten die korrigierten Biases.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;p&gt;Spend the points where the model&apos;s output needs them: each channel&apos;s output error counts by how much it changes the model&apos;s final output (the softmax&apos;s KL for a classifier, otherwise the squared error of each raw output relative to its own scale), measured in the analysis with one backward pass per batch. Off: the paper&apos;s rule, every layer&apos;s relative error counts alike.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Setzt die Punkte dort ein, wo die Ausgabe des Modells sie braucht: Der Ausgabefehler jedes Kanals zählt danach, wie stark er die Endausgabe des Modells verändert (die KL-Divergenz des Softmax bei einem Klassifikator, sonst der quadratische Fehler jeder Rohausgabe relativ zu ihrer eigenen Größenordnung), gemessen in der Analyse mit einem Rückwärtsdurchlauf je Batch. Aus: die Regel des Papers, der relative Fehler jeder Schicht zählt gleich.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+15"/>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;With a memory budget: the extra multiply-accumulates the points may cost, at most, in percent of all MACs of the quantizable layers. Points are still bought by their gain per bit of memory; a point that would pass the cap is skipped. &lt;i&gt;none&lt;/i&gt;: no cap.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Bei einem Speicherbudget: die zusätzlichen Multiply-Accumulate-Operationen, die die Punkte höchstens kosten dürfen, in Prozent aller MACs der quantisierbaren Schichten. Punkte werden weiterhin nach ihrem Gewinn je Bit Speicher vergeben; ein Punkt, der die Obergrenze überschreiten würde, wird übersprungen. &lt;i&gt;keine&lt;/i&gt;: keine Obergrenze.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>MAC ca&amp;p:</source>
        <translation>MAC-&amp;Obergrenze:</translation>
    </message>
    <message>
        <location line="+158"/>
        <source>Folder of calibration images</source>
        <translation>Ordner mit Kalibrierungsbildern</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Folder of test images</source>
        <translation>Ordner der Testbilder</translation>
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
        <translation>Multipoint-Quantisierung nach dem Training: Finden Sie die empfindlichen Schichten, sehen Sie, was ein Budget bringt, und prüfen Sie, ob das Modell seine Aufgabe noch erfüllt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open the built-in demo</source>
        <translation>Die integrierte Demo öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A CenterNet-MobileNetV3 object detector (COCO) with its sample images.</source>
        <translation>Ein CenterNet-MobileNetV3-Objektdetektor (COCO) mit seinen Beispielbildern.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open model…</source>
        <translation>Modell öffnen…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A TorchScript (.pt) or ONNX (.onnx) file. Ctrl+O</source>
        <translation>Eine TorchScript- (.pt) oder ONNX-Datei (.onnx). Strg+O</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Recent models and projects</source>
        <translation>Zuletzt verwendete Modelle und Projekte</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Or drop a .pt or .onnx model or a folder of calibration images onto this window.</source>
        <translation>Oder ziehen Sie ein .pt- oder .onnx-Modell oder einen Ordner mit Kalibrierbildern auf dieses Fenster.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 (project)</source>
        <translation>%1 (Projekt)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>last: %1 memory, %2 MACs, %3 effective</source>
        <translation>zuletzt: %1 Speicher, %2 MACs, %3 effektiv</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No recent models yet.</source>
        <translation>Noch keine zuletzt verwendeten Modelle.</translation>
    </message>
</context>
<context>
    <name>mpq::studio::StatusSummary</name>
    <message>
        <location filename="../app/studio/statussummary.cpp" line="+34"/>
        <source>Show or hide the Warnings panel</source>
        <translation>Den Bereich „Warnungen“ ein- oder ausblenden</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%1 · %n layer(s) · %2 MB</source>
        <translation>
            <numerusform>%1 · %n Schicht · %2 MB</numerusform>
            <numerusform>%1 · %n Schichten · %2 MB</numerusform>
        </translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 memory</source>
        <translation>%1 Speicher</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Memory overhead: stored bits of all quantizable layers over %1 bits per weight, minus one (extra points, layers at other bits and float layers all counted); pinned layers %2</source>
        <translation>Speicher-Mehraufwand: gespeicherte Bits aller quantisierbaren Schichten geteilt durch %1 Bit je Gewicht, minus eins (zusätzliche Punkte, Schichten mit anderer Bitbreite und Float-Schichten mitgezählt); festgelegte Schichten %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 MACs</source>
        <translation>%1 MACs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MAC overhead: extra multiply-accumulates of the extra points over all MACs of the quantizable layers; float MACs are not charged</source>
        <translation>MAC-Mehraufwand: zusätzliche Multiply-Accumulates der zusätzlichen Punkte geteilt durch alle MACs der quantisierbaren Schichten; Float-MACs werden nicht angerechnet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Effective bits per weight over all quantizable weights: float layers at 32 bits, one fp32 scale per point counted</source>
        <translation>Effektive Bits je Gewicht über alle quantisierbaren Gewichte: Float-Schichten mit 32 Bit, ein fp32-Skalenfaktor je Punkt mitgezählt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 float MACs</source>
        <translation>%1 Float-MACs</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n weight(s) kept float; their MACs run in float and are shown apart</source>
        <translation>
            <numerusform>%n Gewicht bleibt Float; seine MACs laufen in Float und werden getrennt gezeigt</numerusform>
            <numerusform>%n Gewichte bleiben Float; ihre MACs laufen in Float und werden getrennt gezeigt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n Warnung</numerusform>
            <numerusform>%n Warnungen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mpq::studio::Undo</name>
    <message>
        <location filename="../app/studio/undocommands.cpp" line="+12"/>
        <source>epsilon %1</source>
        <translation>Epsilon %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>budget %1 %</source>
        <translation>Budget %1 %</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+20"/>
        <source>Set %1</source>
        <translation>%1 festlegen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Override %1</source>
        <translation>%1 überschreiben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear the override of %1</source>
        <translation>Überschreibung von %1 entfernen</translation>
    </message>
</context>
<context>
    <name>mpq::studio::WarningsPanel</name>
    <message>
        <location filename="../app/studio/warningspanel.cpp" line="+20"/>
        <source>Model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Analysis: %1</source>
        <translation>Analyse: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Evaluation: %1</source>
        <translation>Auswertung: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Allocation: %1</source>
        <translation>Zuteilung: %1</translation>
    </message>
</context>
<context>
    <name>mpq::studio::WorkspaceTabs</name>
    <message>
        <location filename="../app/studio/workspacetabs.cpp" line="+48"/>
        <source>Sensitivity</source>
        <translation>Sensitivität</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Allocation</source>
        <translation>Zuteilung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Graph</source>
        <translation>Modellgraph</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How each layer&apos;s error falls with more points (Ctrl+1)</source>
        <translation>Wie der Fehler jeder Schicht mit mehr Punkten sinkt (Strg+1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the current threshold or budget buys (Ctrl+2)</source>
        <translation>Was der aktuelle Schwellenwert oder das Budget bringt (Strg+2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The points of each channel of one layer (Ctrl+3)</source>
        <translation>Die Punkte jedes Kanals einer Schicht (Strg+3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Float and quantized predictions on the sample images (Ctrl+4)</source>
        <translation>Float- und quantisierte Vorhersagen auf den Beispielbildern (Strg+4)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Multipoint against the other methods at the same cost (Ctrl+5)</source>
        <translation>Multipoint im Vergleich zu den anderen Methoden bei gleichen Kosten (Strg+5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model&apos;s graph, its layers coloured by the allocation (Ctrl+6)</source>
        <translation>Der Graph des Modells, seine Schichten nach der Zuteilung eingefärbt (Strg+6)</translation>
    </message>
    <message>
        <location line="+154"/>
        <source>The model&apos;s graph cannot be read: %1</source>
        <translation>Der Graph des Modells kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Press Analyze (Ctrl+R) in the Settings panel to measure how each layer&apos;s error falls with more points.</source>
        <translation>Klicken Sie im Bereich „Einstellungen“ auf „Analysieren“ (Strg+R), um zu messen, wie der Fehler jeder Schicht mit mehr Punkten sinkt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open a model (Ctrl+O) to begin.</source>
        <translation>Öffnen Sie ein Modell (Strg+O), um zu beginnen.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Select a layer in the Layers list to see the points of each of its channels.</source>
        <translation>Wählen Sie eine Schicht in der Liste „Schichten“, um die Punkte jedes ihrer Kanäle zu sehen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The graph is read from the model file: open the model (Ctrl+O) to see it.</source>
        <translation>Der Graph wird aus der Modelldatei gelesen: Öffnen Sie das Modell (Strg+O), um ihn zu sehen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open a model (Ctrl+O) to see its graph.</source>
        <translation>Öffnen Sie ein Modell (Strg+O), um seinen Graphen zu sehen.</translation>
    </message>
</context>
<context>
    <name>mpq::ui</name>
    <message>
        <location filename="../widgets/src/comparemodel.cpp" line="+29"/>
        <source>Multipoint</source>
        <translation>Multipoint</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RTN per channel</source>
        <translation>RTN pro Kanal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RTN per tensor</source>
        <translation>RTN pro Tensor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MSE per channel</source>
        <translation>MSE pro Kanal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OCS</source>
        <translation>OCS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mixed precision</source>
        <translation>Gemischte Präzision</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RTN per channel, b+1 bits</source>
        <translation>RTN je Kanal, b+1 Bit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MSE per channel, b+1 bits</source>
        <translation>MSE je Kanal, b+1 Bit</translation>
    </message>
    <message>
        <location filename="../widgets/src/predictionrender.cpp" line="+98"/>
        <source>: not a readable image</source>
        <translation>: kein lesbares Bild</translation>
    </message>
</context>
<context>
    <name>mpq::ui::AllocationPlot</name>
    <message>
        <location filename="../widgets/src/allocationplot.cpp" line="+44"/>
        <source>Run the analysis to see how many points each layer gets and what the extra points cost.</source>
        <translation>Führen Sie die Analyse aus, um zu sehen, wie viele Punkte jede Schicht erhält und was die zusätzlichen Punkte kosten.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Points per channel, by layer</source>
        <translation>Punkte pro Kanal, nach Schicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+13"/>
        <source>Memory overhead (%)</source>
        <translation>Speicher-Mehraufwand (%)</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Trade-off: memory overhead against error</source>
        <translation>Abwägung: Speicher-Mehraufwand gegen Fehler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total relative output error (sum over layers)</source>
        <translation>Relativer Gesamtausgabefehler (Summe über Schichten)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Threshold rule (ε from 1e-6 to 1)</source>
        <translation>Schwellenwertregel (ε von 1e-6 bis 1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory budget rule</source>
        <translation>Speicherbudget-Regel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Current allocation</source>
        <translation>Aktuelle Zuteilung</translation>
    </message>
    <message numerus="yes">
        <location line="+108"/>
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n Punkt</numerusform>
            <numerusform>%n Punkte</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>float</source>
        <translation>Float</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Overhead (right axis)</source>
        <translation>Mehraufwand (rechte Achse)</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Points per channel, by layer (memory overhead %1)</source>
        <translation>Punkte pro Kanal, nach Schicht (Speicher-Mehraufwand %1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points per channel, by layer: choose a threshold or budget</source>
        <translation>Punkte pro Kanal, nach Schicht: Wählen Sie einen Schwellenwert oder ein Budget</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Trade-off: computing the curves...</source>
        <translation>Abwägung: Kurven werden berechnet...</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Trade-off: waiting for the curves of overridden bits</source>
        <translation>Abwägung: warte auf die Kurven der überschriebenen Bitbreiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trade-off: memory overhead against error (%1 bits)</source>
        <translation>Abwägung: Speicher-Mehraufwand gegen Fehler (%1 Bit)</translation>
    </message>
    <message numerus="yes">
        <location line="+45"/>
        <source>%1: %n channel(s)</source>
        <translation>
            <numerusform>%1: %n Kanal</numerusform>
            <numerusform>%1: %n Kanäle</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>kept in float</source>
        <translation>in Float belassen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: %2 channels</source>
        <translation>%1: %2 Kanäle</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>memory overhead %1</source>
        <translation>Speicher-Mehraufwand %1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Threshold rule, ε = %1</source>
        <translation>Schwellenwertregel, ε = %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory budget %1</source>
        <translation>Speicherbudget %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MAC overhead %1</source>
        <translation>MAC-Mehraufwand %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1
memory overhead %2 (%3 %)
total error %4</source>
        <translation>%1
Speicher-Mehraufwand %2 (%3 %)
Gesamtfehler %4</translation>
    </message>
</context>
<context>
    <name>mpq::ui::ChannelView</name>
    <message>
        <location filename="../widgets/src/channelview.cpp" line="+42"/>
        <source>Select a layer in the table to see its channels: the points each got, its error, and how the points fit its weights.</source>
        <translation>Wählen Sie eine Schicht in der Tabelle, um ihre Kanäle zu sehen: die Punkte jedes Kanals, seinen Fehler und wie die Punkte zu seinen Gewichten passen.</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+14"/>
        <location line="+33"/>
        <source>Points</source>
        <translation>Punkte</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Output channel (click to select)</source>
        <translation>Ausgabekanal (zum Auswählen klicken)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rel. error</source>
        <translation>Rel. Fehler</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Folded weight value</source>
        <translation>Gefalteter Gewichtswert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weights per bin</source>
        <translation>Gewichte pro Intervall</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>float weights</source>
        <translation>Float-Gewichte</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Relative error</source>
        <translation>Relativer Fehler</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Weight residual ‖rₙ‖² / ‖w‖²</source>
        <translation>Gewichtsresiduum ‖rₙ‖² / ‖w‖²</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Output error e(n) / s</source>
        <translation>Ausgabefehler e(n) / s</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>no allocation yet: error with one point</source>
        <translation>noch keine Zuteilung: Fehler mit einem Punkt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>kept in float</source>
        <translation>in Float belassen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>mean %1 points, relative error at the allocated points</source>
        <translation>im Mittel %1 Punkte, relativer Fehler bei den zugeteilten Punkten</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%1
%n channel(s), %2</source>
        <translation>
            <numerusform>%1
%n Kanal, %2</numerusform>
            <numerusform>%1
%n Kanäle, %2</numerusform>
        </translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Weights of channel %1 (%2 values)</source>
        <translation>Gewichte von Kanal %1 (%2 Werte)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Weights of channel %1 not available</source>
        <translation>Gewichte von Kanal %1 nicht verfügbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dashed: the half-step pair&apos;s grid s·m, s = %1</source>
        <translation>gestrichelt: Raster des Halbschritt-Paars s·m, s = %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>dashed: first point&apos;s grid a₁·q, a₁ = %1</source>
        <translation>gestrichelt: Raster des ersten Punkts a₁·q, a₁ = %1</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source> (%n point(s) allocated)</source>
        <translation>
            <numerusform> (%n Punkt zugeteilt)</numerusform>
            <numerusform> (%n Punkte zugeteilt)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>Error of channel %1 by points (dotted: %n allocated)</source>
        <translation>
            <numerusform>Fehler von Kanal %1 nach Punkten (gepunktet: %n zugeteilt)</numerusform>
            <numerusform>Fehler von Kanal %1 nach Punkten (gepunktet: %n zugeteilt)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error of channel %1 by points</source>
        <translation>Fehler von Kanal %1 nach Punkten</translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source>Channel %1: %n point(s)</source>
        <translation>
            <numerusform>Kanal %1: %n Punkt</numerusform>
            <numerusform>Kanal %1: %n Punkte</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Channel %1</source>
        <translation>Kanal %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>relative output error %1 (SQNR %2)</source>
        <translation>relativer Ausgabefehler %1 (SQNR %2)</translation>
    </message>
</context>
<context>
    <name>mpq::ui::CompareModel</name>
    <message>
        <location filename="../widgets/src/comparemodel.cpp" line="+104"/>
        <source>Layers stored with one more bit: %1</source>
        <translation>Ebenen mit einem Bit mehr gespeichert: %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Effective bits</source>
        <translation>Effektive Bits</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory overhead</source>
        <translation>Speicher-Mehraufwand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MAC overhead</source>
        <translation>MAC-Mehraufwand</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change (points)</source>
        <translation>Änderung (Prozentpunkte)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
</context>
<context>
    <name>mpq::ui::CompareView</name>
    <message>
        <location filename="../widgets/src/compareview.cpp" line="+184"/>
        <source>Run comparison</source>
        <translation>Vergleich ausführen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Quantize the model with every method at the current multipoint allocation&apos;s memory overhead and evaluate each on the sample images</source>
        <translation>Das Modell mit jeder Methode beim Speicher-Mehraufwand der aktuellen Multipoint-Zuteilung quantisieren und jede auf den Beispielbildern auswerten</translation>
    </message>
    <message>
        <location line="-140"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>At this allocation</source>
        <translation>Bei dieser Zuteilung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sweep budgets</source>
        <translation>Budgets durchlaufen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At this allocation: every method at the current allocation&apos;s memory overhead. Sweep budgets: every method over memory budgets from 0 to 50 %, one curve each.</source>
        <translation>Bei dieser Zuteilung: jede Methode beim Speicher-Mehraufwand der aktuellen Zuteilung. Budgets durchlaufen: jede Methode über Speicherbudgets von 0 bis 50 %, je eine Kurve.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory overhead</source>
        <translation>Speicher-Mehraufwand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MAC overhead</source>
        <translation>MAC-Mehraufwand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the methods are compared against: the extra weight memory or the extra multiply-accumulates, over the b-bit model</source>
        <translation>Wogegen die Methoden verglichen werden: der zusätzliche Gewichtsspeicher oder die zusätzlichen Multiply-Accumulates, gegenüber dem b-Bit-Modell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Against:</source>
        <translation>Gegen:</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Run the analysis, then Run comparison: every method is measured on the sample images at the same memory overhead, to show whether multipoint is worth it for this model.</source>
        <translation>Führen Sie die Analyse aus, dann „Vergleich ausführen“: Jede Methode wird bei gleichem Speicher-Mehraufwand auf den Beispielbildern gemessen, um zu zeigen, ob sich Multipoint für dieses Modell lohnt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Run the analysis, then Run sweep: every method is measured on the sample images at memory budgets from 0 to 50 %, one curve per method.</source>
        <translation>Führen Sie die Analyse aus, dann „Durchlauf starten“: jede Methode wird auf den Beispielbildern bei Speicherbudgets von 0 bis 50 % gemessen, eine Kurve je Methode.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Task metric against memory overhead, per method</source>
        <translation>Aufgabenmetrik über dem Speicher-Mehraufwand, je Methode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task metric against MAC overhead, per method</source>
        <translation>Aufgabenmetrik über dem MAC-Mehraufwand, je Methode</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Task metric against memory overhead, over memory budgets</source>
        <translation>Aufgabenmetrik über dem Speicher-Mehraufwand, über Speicherbudgets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task metric against MAC overhead, over memory budgets</source>
        <translation>Aufgabenmetrik über dem MAC-Mehraufwand, über Speicherbudgets</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Memory overhead (%)</source>
        <translation>Speicher-Mehraufwand (%)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MAC overhead (%)</source>
        <translation>MAC-Mehraufwand (%)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Running...</source>
        <translation>Läuft...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run sweep</source>
        <translation>Durchlauf starten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quantize the model with every method at memory budgets from 0 to 50 % and evaluate each on the sample images (in the background)</source>
        <translation>Das Modell mit jeder Methode bei Speicherbudgets von 0 bis 50 % quantisieren und jede auf den Beispielbildern auswerten (im Hintergrund)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1:%2 left</source>
        <translation>%1:%2 übrig</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Figures for %1</source>
        <translation>Werte für %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Sweep for %1</source>
        <translation>Durchlauf für %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>float: %1</source>
        <translation>Float: %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+33"/>
        <source>%1 (%)</source>
        <translation>%1 (%)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 (any budget)</source>
        <translation>%1 (jedes Budget)</translation>
    </message>
</context>
<context>
    <name>mpq::ui::GraphPage</name>
    <message>
        <location filename="../widgets/src/graphpage.cpp" line="+32"/>
        <source>Points per channel</source>
        <translation>Punkte pro Kanal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relative output error</source>
        <translation>Relativer Ausgabefehler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory overhead</source>
        <translation>Speicher-Mehraufwand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One-point error</source>
        <translation>Fehler bei einem Punkt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What colours the quantizable layers</source>
        <translation>Wonach die quantisierbaren Schichten eingefärbt werden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draw every module this deep as one node (double-click a node to collapse or expand its module)</source>
        <translation>Jedes Modul dieser Tiefe als einen Knoten zeichnen (Doppelklick auf einen Knoten klappt sein Modul zu oder auf)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find a layer (Enter: next)</source>
        <translation>Schicht suchen (Enter: nächste)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Zoom in (+)</source>
        <translation>Vergrößern (+)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom out (-)</source>
        <translation>Verkleinern (-)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the whole graph (F)</source>
        <translation>Den ganzen Graphen zeigen (F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save the graph as PNG, SVG or PDF</source>
        <translation>Den Graphen als PNG, SVG oder PDF speichern</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Colour by:</source>
        <translation>Färben nach:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Collapse modules:</source>
        <translation>Module zuklappen:</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No model.</source>
        <translation>Kein Modell.</translation>
    </message>
    <message>
        <location line="+34"/>
        <location line="+6"/>
        <source>Export graph</source>
        <translation>Graph exportieren</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG-Bild (*.png);;SVG-Zeichnung (*.svg);;PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>The Graph page needs Graphviz&apos;s dot program to lay out the graph, and it was not found.

Install Graphviz (on Debian or Ubuntu: sudo apt install graphviz), then open the model again.</source>
        <translation>Die Seite „Modellgraph“ braucht das Programm dot aus Graphviz, um den Graphen anzuordnen, und es wurde nicht gefunden.

Installieren Sie Graphviz (unter Debian oder Ubuntu: sudo apt install graphviz) und öffnen Sie das Modell dann erneut.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Laying out the graph…</source>
        <translation>Graph wird angeordnet…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Graphviz&apos;s dot could not be started (%1).</source>
        <translation>Graphviz-dot konnte nicht gestartet werden (%1).</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Graphviz&apos;s dot could not lay out the graph (exit code %1):

%2</source>
        <translation>Graphviz-dot konnte den Graphen nicht anordnen (Exit-Code %1):

%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no message</source>
        <translation>keine Meldung</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Graphviz&apos;s dot gave a layout that cannot be read: %1</source>
        <translation>Graphviz-dot hat ein Layout geliefert, das nicht gelesen werden kann: %1</translation>
    </message>
</context>
<context>
    <name>mpq::ui::GraphView</name>
    <message>
        <location filename="../widgets/src/graphcolour.cpp" line="-96"/>
        <source> · %1 points</source>
        <translation> · %1 Punkte</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>1 quantizable layer, %1 channels</source>
        <translation>1 quantisierbare Schicht, %1 Kanäle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 quantizable layers, %2 channels</source>
        <translation>%1 quantisierbare Schichten, %2 Kanäle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kept in float (F)</source>
        <translation>In Float belassen (F)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Points per channel</source>
        <translation>Punkte pro Kanal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relative output error</source>
        <translation>Relativer Ausgabefehler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory overhead</source>
        <translation>Speicher-Mehraufwand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MAC overhead</source>
        <translation>MAC-Mehraufwand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One-point error</source>
        <translation>Fehler bei einem Punkt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kept in float</source>
        <translation>In Float belassen</translation>
    </message>
    <message>
        <location filename="../widgets/src/graphview.cpp" line="+410"/>
        <source>: cannot draw the SVG</source>
        <translation>: SVG kann nicht gezeichnet werden</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>: cannot render the graph</source>
        <translation>: Graph kann nicht gerendert werden</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>: cannot draw the PDF</source>
        <translation>: PDF kann nicht gezeichnet werden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>: choose a .png, .svg or .pdf file name</source>
        <translation>: wählen Sie einen Dateinamen mit .png, .svg oder .pdf</translation>
    </message>
</context>
<context>
    <name>mpq::ui::LayerTableModel</name>
    <message numerus="yes">
        <location filename="../widgets/src/layertablemodel.cpp" line="+147"/>
        <source>%n point(s)</source>
        <translation>
            <numerusform>%n Punkt</numerusform>
            <numerusform>%n Punkte</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <location line="+122"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>%n bit(s)</source>
        <translation>
            <numerusform>%n Bit</numerusform>
            <numerusform>%n Bit</numerusform>
        </translation>
    </message>
    <message>
        <location line="-122"/>
        <location line="+63"/>
        <source>float</source>
        <translation>Float</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 (%2), weight %3: %4 channels of %5 weights</source>
        <translation>%1 (%2), Gewicht %3: %4 Kanäle mit je %5 Gewichten</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>BatchNorm %1 folded in</source>
        <translation>BatchNorm %1 eingefaltet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pinned by the user: %1</source>
        <translation>Vom Benutzer festgelegt: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not allocated yet: run the analysis and choose a threshold or budget.</source>
        <translation>Noch nicht zugeteilt: Führen Sie die Analyse aus und wählen Sie einen Schwellenwert oder ein Budget.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kept in float (32-bit weights): its weights cost %1 more than at %2 bits; its %3 MACs run in float and are counted apart.</source>
        <translation>In Float belassen (32-Bit-Gewichte): seine Gewichte kosten %1 mehr als bei %2 Bit; seine %3 MACs laufen in Float und werden getrennt gezählt.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>first point %1, extra points %2</source>
        <translation>erster Punkt %1, Zusatzpunkte %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mean %1 points per channel, at most %2 (%3)
Channels: %4</source>
        <translation>Im Mittel %1 Punkte pro Kanal, höchstens %2 (%3)
Kanäle: %4</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>&lt;p&gt;Here: the mean number of points per output channel.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Hier: die mittlere Zahl der Punkte je Ausgabekanal.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;p&gt;Here per layer: its extra stored bits over its weights at the chosen bits.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Hier je Schicht: ihre zusätzlich gespeicherten Bits gegenüber ihren Gewichten bei der gewählten Bitbreite.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;p&gt;Here per layer: its extra MACs over its MACs.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Hier je Schicht: ihre zusätzlichen MACs gegenüber ihren MACs.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MACs</source>
        <translation>MACs</translation>
    </message>
    <message numerus="yes">
        <location line="-99"/>
        <source>%1 with %n point(s)</source>
        <translation>
            <numerusform>%1 mit %n Punkt</numerusform>
            <numerusform>%1 mit %n Punkten</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 extra weights on %2 (%3 %)
MACs: %4 extra on %5 (%6 %)</source>
        <translation>%1 zusätzliche Gewichte zu %2 (%3 %)
MACs: %4 zusätzlich zu %5 (%6 %)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Relative output error R = %1
SQNR = %2 dB</source>
        <translation>Relativer Ausgabefehler R = %1
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
        <translation>%1 Bit pro Gewicht, eine 32-Bit-Skala pro Punkt mitgezählt</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Largest number of points of any channel</source>
        <translation>Größte Punktzahl eines Kanals</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>A pin set by the user (fixed points, other bits, or float)</source>
        <translation>Eine Festlegung durch den Benutzer (feste Punktzahl, andere Bitbreite oder Float)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points</source>
        <translation>Punkte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Max pts</source>
        <translation>Max. Pkt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Rel. error</source>
        <translation>Rel. Fehler</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Eff. bits</source>
        <translation>Eff. Bits</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Override</source>
        <translation>Überschreibung</translation>
    </message>
</context>
<context>
    <name>mpq::ui::PointSummaryModel</name>
    <message>
        <location filename="../widgets/src/pointsummarymodel.cpp" line="+73"/>
        <source>Points</source>
        <translation>Punkte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean rel. residual</source>
        <translation>Mittl. rel. Residuum</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Max rel. residual</source>
        <translation>Max. rel. Residuum</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Weight SQNR</source>
        <translation>Gewichts-SQNR</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Effective bits</source>
        <translation>Effektive Bits</translation>
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
F: %2
Q: %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1
F: %2, Q: %3</source>
        <translation>%1
F: %2, Q: %3</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <location line="+1"/>
        <source>%n box(es)</source>
        <translation>
            <numerusform>%n Box</numerusform>
            <numerusform>%n Boxen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1
float: %2
quantized: %3%4</source>
        <translation>%1
Float: %2
quantisiert: %3%4</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>
the quantized prediction differs</source>
        <translation>
die quantisierte Vorhersage weicht ab</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>
differs between the runs A (%1) and B (%2): %3</source>
        <translation>
unterscheidet sich zwischen den Läufen A (%1) und B (%2): %3</translation>
    </message>
</context>
<context>
    <name>mpq::ui::PreviewView</name>
    <message>
        <location filename="../widgets/src/previewview.cpp" line="+85"/>
        <source>Changed first</source>
        <translation>Geänderte zuerst</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only changed</source>
        <translation>Nur geänderte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Differs between the runs</source>
        <translation>Unterscheidet sich zwischen den Läufen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clear marks</source>
        <translation>Markierungen entfernen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Score threshold</source>
        <translation>Score-Schwelle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why did this prediction flip?</source>
        <translation>Warum ist diese Vorhersage gekippt?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Explain</source>
        <translation>Erklären</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Apply as overrides</source>
        <translation>Als Festlegungen übernehmen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Images whose quantized prediction differs from the float one first</source>
        <translation>Bilder, deren quantisierte Vorhersage von der Float-Vorhersage abweicht, zuerst</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show only the images whose quantized prediction differs</source>
        <translation>Nur die Bilder zeigen, deren quantisierte Vorhersage abweicht</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show only the images whose predictions differ between the two runs of the diff</source>
        <translation>Nur die Bilder zeigen, deren Vorhersagen sich zwischen den zwei Läufen des Vergleichs unterscheiden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Remove the run diff&apos;s marks from the Preview</source>
        <translation>Die Markierungen des Laufvergleichs aus der Vorschau entfernen</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Boxes below this score are neither drawn nor counted here</source>
        <translation>Boxen unter diesem Score werden hier weder gezeichnet noch gezählt</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Restore layers to float</source>
        <translation>Schichten auf Float zurücksetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add one point per channel</source>
        <translation>Einen Punkt je Kanal hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What a tested layer gets: its float weights, or one more point on every channel (up to the analysis&apos; maximum)</source>
        <translation>Was eine getestete Schicht erhält: ihre Float-Gewichte oder einen Punkt mehr auf jedem Kanal (bis zum Maximum der Analyse)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sets these overrides on the layers found, as one step Edit &gt; Undo reverts</source>
        <translation>Setzt diese Festlegungen auf den gefundenen Schichten, als einen Schritt, den Bearbeiten &gt; Rückgängig zurücknimmt</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Run the analysis: the Preview then shows what the float and the quantized model say about the sample images at the current setting.</source>
        <translation>Führen Sie die Analyse aus: Die Vorschau zeigt dann, was das Float- und das quantisierte Modell bei der aktuellen Einstellung zu den Beispielbildern sagen.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Figures for %1</source>
        <translation>Werte für %1</translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>&lt;span style=&apos;color:%1&apos;&gt;&lt;b&gt;A≠B&lt;/b&gt;&lt;/span&gt; %n image(s) whose predictions differ between &lt;b&gt;A&lt;/b&gt;: %2 and &lt;b&gt;B&lt;/b&gt;: %3</source>
        <translation>
            <numerusform>&lt;span style=&apos;color:%1&apos;&gt;&lt;b&gt;A≠B&lt;/b&gt;&lt;/span&gt; %n Bild, dessen Vorhersagen sich zwischen &lt;b&gt;A&lt;/b&gt;: %2 und &lt;b&gt;B&lt;/b&gt;: %3 unterscheiden</numerusform>
            <numerusform>&lt;span style=&apos;color:%1&apos;&gt;&lt;b&gt;A≠B&lt;/b&gt;&lt;/span&gt; %n Bilder, deren Vorhersagen sich zwischen &lt;b&gt;A&lt;/b&gt;: %2 und &lt;b&gt;B&lt;/b&gt;: %3 unterscheiden</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (of %1 compared)</source>
        <translation> (von %1 verglichenen)</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%n of them among the images shown here.</source>
        <translation>
            <numerusform>Davon %n unter den hier gezeigten Bildern.</numerusform>
            <numerusform>Davon %n unter den hier gezeigten Bildern.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+82"/>
        <source>%1 of the %2 in the folder</source>
        <translation>%1 der %2 im Ordner</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+12"/>
        <source>images</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>top-1 float</source>
        <translation>Top-1 Float</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-1 quantized</source>
        <translation>Top-1 quantisiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-5 float</source>
        <translation>Top-5 Float</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top-5 quantized</source>
        <translation>Top-5 quantisiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>none (folder names are not classes)</source>
        <translation>keine (Ordnernamen sind keine Klassen)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>top-1 agreement</source>
        <translation>Top-1-Übereinstimmung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mean KL</source>
        <translation>mittlere KL</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> nats</source>
        <translation> nats</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>mAP@0.5 vs float</source>
        <translation>mAP@0.5 gegenüber Float</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>mAP@0.5 float (annotations)</source>
        <translation>mAP@0.5 Float (Annotationen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mAP@0.5 quantized (annotations)</source>
        <translation>mAP@0.5 quantisiert (Annotationen)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>predictions changed</source>
        <translation>geänderte Vorhersagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <location filename="../widgets/src/previewexplainpanel.cpp" line="+144"/>
        <location filename="../widgets/src/previewview.cpp" line="+1"/>
        <source>memory overhead</source>
        <translation>Speicher-Mehraufwand</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../widgets/src/previewview.cpp" line="+1"/>
        <source>MAC overhead</source>
        <translation>MAC-Mehraufwand</translation>
    </message>
    <message>
        <location filename="../widgets/src/previewview.cpp" line="+1"/>
        <source>effective bits</source>
        <translation>effektive Bits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 float boxes solid, %2 quantized boxes dashed</source>
        <translation>%1 Float-Boxen durchgezogen, %2 quantisierte Boxen gestrichelt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>F: float, Q: quantized. Tinted: the quantized top-1 differs from the float one.</source>
        <translation>F: Float, Q: quantisiert. Eingefärbt: Das quantisierte Top-1 weicht vom Float-Top-1 ab.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n warning(s), see the Warnings panel</source>
        <translation>
            <numerusform>%n Warnung, siehe Bereich „Warnungen“</numerusform>
            <numerusform>%n Warnungen, siehe Bereich „Warnungen“</numerusform>
        </translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Quantized</source>
        <translation>Quantisiert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Float</source>
        <translation>Float</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>nothing detected</source>
        <translation>nichts erkannt</translation>
    </message>
    <message>
        <location filename="../widgets/src/previewexplainpanel.cpp" line="-101"/>
        <source>An explanation is running: wait for it or cancel it.</source>
        <translation>Eine Erklärung läuft: Warten Sie darauf oder brechen Sie sie ab.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Select an image whose quantized prediction differs from the float one.</source>
        <translation>Wählen Sie ein Bild, dessen quantisierte Vorhersage von der Float-Vorhersage abweicht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The quantized prediction on this image is the same as the float one: there is nothing to explain.</source>
        <translation>Die quantisierte Vorhersage auf diesem Bild ist dieselbe wie die Float-Vorhersage: Es gibt nichts zu erklären.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Find the fewest layers whose quantization changes this prediction (delta debugging, one forward per test, on this image only)</source>
        <translation>Die wenigsten Schichten finden, deren Quantisierung diese Vorhersage ändert (Delta-Debugging, ein Vorwärtsdurchlauf je Test, nur auf diesem Bild)</translation>
    </message>
    <message numerus="yes">
        <location line="+44"/>
        <source>%n box(es)</source>
        <translation>
            <numerusform>%n Box</numerusform>
            <numerusform>%n Boxen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>restored to float</source>
        <translation>auf Float zurückgesetzt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>with one more point</source>
        <translation>mit einem Punkt mehr</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;%1&lt;/b&gt; at %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; bei %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The quantized prediction on this image already matches the float one.</source>
        <translation>Die quantisierte Vorhersage auf diesem Bild stimmt bereits mit der Float-Vorhersage überein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot be explained this way: %1.</source>
        <translation>Auf diese Weise nicht erklärbar: %1.</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>The float prediction comes back with %n layer(s) %1:</source>
        <translation>
            <numerusform>Die Float-Vorhersage kehrt zurück mit %n Schicht %1:</numerusform>
            <numerusform>Die Float-Vorhersage kehrt zurück mit %n Schichten %1:</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>1-minimal: without any one of them it flips again.</source>
        <translation>1-minimal: Fehlt eine beliebige davon, kippt die Vorhersage wieder.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not verified 1-minimal.</source>
        <translation>Nicht als 1-minimal geprüft.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>float</source>
        <translation>Float</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>quantized</source>
        <translation>quantisiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>with the set</source>
        <translation>mit diesen Schichten</translation>
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
        <translation>MACs in Gleitkomma</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>As overrides, the allocation moves points elsewhere and this image still differs.</source>
        <translation>Als Festlegungen verschiebt die Zuteilung Punkte an andere Stellen, und dieses Bild weicht weiterhin ab.</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n forward(s), %1 layer(s) searched</source>
        <translation>
            <numerusform>%n Vorwärtsdurchlauf, %1 Schicht(en) durchsucht</numerusform>
            <numerusform>%n Vorwärtsdurchläufe, %1 Schicht(en) durchsucht</numerusform>
        </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Applied as overrides (Edit &gt; Undo reverts them).</source>
        <translation>Als Festlegungen übernommen (Bearbeiten &gt; Rückgängig nimmt sie zurück).</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Overrides cannot be set from here in this window</source>
        <translation>Festlegungen können in diesem Fenster nicht von hier aus gesetzt werden</translation>
    </message>
</context>
<context>
    <name>mpq::ui::SensitivityPlot</name>
    <message>
        <location filename="../widgets/src/sensitivityplot.cpp" line="+38"/>
        <source>Points per channel</source>
        <translation>Punkte pro Kanal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relative output error</source>
        <translation>Relativer Ausgabefehler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
    <message>
        <location line="+133"/>
        <source>Run the analysis to see how each layer&apos;s error falls with more points.</source>
        <translation>Führen Sie die Analyse aus, um zu sehen, wie der Fehler jeder Schicht mit mehr Punkten sinkt.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>No layer has a measured error to show.</source>
        <translation>Keine Schicht hat einen gemessenen Fehler zum Anzeigen.</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>The %n layer(s) with the largest error at 1 point, of %1 (%2 bits)
Select layers in the table or the ranking to see others</source>
        <translation>
            <numerusform>Die %n Schicht mit dem größten Fehler bei 1 Punkt, von %1 (%2 Bit)
Wählen Sie Schichten in der Tabelle oder der Rangliste, um andere zu sehen</numerusform>
            <numerusform>Die %n Schichten mit dem größten Fehler bei 1 Punkt, von %1 (%2 Bit)
Wählen Sie Schichten in der Tabelle oder der Rangliste, um andere zu sehen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Output error of %1
(%n channel(s), %2 bits)</source>
        <translation>
            <numerusform>Ausgabefehler von %1
(%n Kanal, %2 Bit)</numerusform>
            <numerusform>Ausgabefehler von %1
(%n Kanäle, %2 Bit)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Output error of %n layer(s) (%1 bits)</source>
        <translation>
            <numerusform>Ausgabefehler von %n Schicht (%1 Bit)</numerusform>
            <numerusform>Ausgabefehler von %n Schichten (%1 Bit)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Layer: %1</source>
        <translation>Schicht: %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Channel minimum</source>
        <translation>Kanalminimum</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>10th percentile of channels</source>
        <translation>10. Perzentil der Kanäle</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+16"/>
        <source>Median channel</source>
        <translation>Median der Kanäle</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+163"/>
        <source>90th percentile of channels</source>
        <translation>90. Perzentil der Kanäle</translation>
    </message>
    <message>
        <location line="-162"/>
        <location line="+160"/>
        <source>Channel maximum</source>
        <translation>Kanalmaximum</translation>
    </message>
    <message>
        <location line="-150"/>
        <source>Channels, min to max</source>
        <translation>Kanäle, Minimum bis Maximum</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Channels, 10th to 90th percentile</source>
        <translation>Kanäle, 10. bis 90. Perzentil</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>threshold ε = %1 (drag to change)</source>
        <translation>Schwellenwert ε = %1 (zum Ändern ziehen)</translation>
    </message>
    <message numerus="yes">
        <location line="+88"/>
        <source>%1
%n point(s): relative error %2 (SQNR %3)</source>
        <translation>
            <numerusform>%1
%n Punkt: relativer Fehler %2 (SQNR %3)</numerusform>
            <numerusform>%1
%n Punkte: relativer Fehler %2 (SQNR %3)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>
Click to select this layer</source>
        <translation>
Klicken wählt diese Schicht</translation>
    </message>
</context>
<context>
    <name>mpq::ui::SensitivityRankModel</name>
    <message>
        <location filename="../widgets/src/sensitivityrankmodel.cpp" line="+171"/>
        <source>%1 (max %2)</source>
        <translation>%1 (max. %2)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1
Rank %2 by the error round-to-nearest (1 point) leaves: %3</source>
        <translation>%1
Rang %2 nach dem Fehler, den Runden (1 Punkt) hinterlässt: %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>
To reach ε = %1: %2 points per channel on average (at most %3), error %4, memory cost %5 of the model (%6 extra bits), MAC cost %7
This layer and those above it: %8</source>
        <translation>
Um ε = %1 zu erreichen: %2 Punkte je Kanal im Mittel (höchstens %3), Fehler %4, Speicherkosten %5 des Modells (%6 zusätzliche Bits), MAC-Kosten %7
Diese Schicht und die darüber: %8</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>
Click to select the layer everywhere</source>
        <translation>
Klicken wählt die Schicht überall</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error at 1 pt</source>
        <translation>Fehler bei 1 Pkt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points to reach ε</source>
        <translation>Punkte bis ε</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error then</source>
        <translation>Fehler dann</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory cost</source>
        <translation>Speicherkosten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MAC cost</source>
        <translation>MAC-Kosten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cumulative memory</source>
        <translation>Kumulierter Speicher</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Rank by the error at one point per channel, largest first</source>
        <translation>Rang nach dem Fehler bei einem Punkt je Kanal, größter zuerst</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The layer&apos;s module path</source>
        <translation>Der Modulpfad der Schicht</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;With one point per channel: what round-to-nearest does to the layer.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Mit einem Punkt je Kanal: was Runden mit der Schicht macht.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;p&gt;The mean (and largest) points per channel the threshold rule gives this layer at the current ε.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Die mittlere (und größte) Zahl der Punkte je Kanal, die die Schwellenregel dieser Schicht beim aktuellen ε gibt.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;The layer&apos;s relative error with those points.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Der relative Fehler der Schicht mit diesen Punkten.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;p&gt;This layer&apos;s share: its extra points over all quantizable weights; the column sums to the model&apos;s overhead at ε.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Der Anteil dieser Schicht: ihre zusätzlichen Punkte gegenüber allen quantisierbaren Gewichten; die Spalte summiert sich zum Mehraufwand des Modells bei ε.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;p&gt;The memory cost of fixing this layer and every layer ranked above it.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Die Speicherkosten, diese Schicht und jede darüber eingestufte zu verbessern.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>mpq::ui::SensitivityRankView</name>
    <message>
        <location filename="../widgets/src/sensitivityrankview.cpp" line="+108"/>
        <source>Layers ranked by sensitivity appear here after the analysis.</source>
        <translation>Nach der Analyse erscheinen hier die Schichten nach Empfindlichkeit geordnet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Layers ranked by the error round-to-nearest (1 point) leaves, most sensitive first, with the points and cost each needs to reach the threshold ε = %1 (all layers: %2 memory, %3 MACs). Click a row to select the layer everywhere.</source>
        <translation>Schichten nach dem Fehler geordnet, den Runden (1 Punkt) hinterlässt, empfindlichste zuerst, mit den Punkten und Kosten, die jede braucht, um die Schwelle ε = %1 zu erreichen (alle Schichten: %2 Speicher, %3 MACs). Klicken Sie eine Zeile, um die Schicht überall zu wählen.</translation>
    </message>
</context>
<context>
    <name>mpq::ui::SweepModel</name>
    <message>
        <location filename="../widgets/src/comparemodel.cpp" line="+75"/>
        <source>any</source>
        <translation>jedes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This method&apos;s weights do not depend on the budget: one point.</source>
        <translation>Die Gewichte dieser Methode hängen nicht vom Budget ab: ein Punkt.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Memory budget</source>
        <translation>Speicherbudget</translation>
    </message>
</context>
<context>
    <name>mpq::ui::ThresholdControl</name>
    <message>
        <location filename="../widgets/src/thresholdcontrol.cpp" line="+45"/>
        <source>&amp;Threshold</source>
        <translation>&amp;Schwellenwert</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Each channel gets the fewest points whose relative output error is at most ε</source>
        <translation>Jeder Kanal erhält die wenigsten Punkte, deren relativer Ausgabefehler höchstens ε beträgt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Budget</source>
        <translation>&amp;Budget</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Extra points go where they lower the error most, until the total overhead reaches the budget</source>
        <translation>Zusätzliche Punkte gehen dorthin, wo sie den Fehler am stärksten senken, bis der gesamte Mehraufwand das Budget erreicht</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Relative output error allowed per channel, log scale from 1e-6 (left) to 1 (right)</source>
        <translation>Erlaubter relativer Ausgabefehler pro Kanal, logarithmische Skala von 1e-6 (links) bis 1 (rechts)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>ε in scientific notation, e.g. 1e-3</source>
        <translation>ε in wissenschaftlicher Schreibweise, z. B. 1e-3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ε</source>
        <translation>ε</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Total overhead allowed, 0 to 100 %</source>
        <translation>Erlaubter Gesamt-Mehraufwand, 0 bis 100 %</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory (extra weights)</source>
        <translation>Speicher (zusätzliche Gewichte)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compute (extra MACs)</source>
        <translation>Rechenaufwand (zusätzliche MACs)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What the budget limits: extra low-bit weights relative to all quantized weights, or extra multiply-accumulates</source>
        <translation>Was das Budget begrenzt: zusätzliche Low-Bit-Gewichte relativ zu allen quantisierten Gewichten oder zusätzliche Multiplikations-Additionen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Overhead</source>
        <translation>Mehraufwand</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
</context>
</TS>
