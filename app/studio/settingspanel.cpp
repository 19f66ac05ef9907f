#include "settingspanel.h"

#include "mpq/grid.h"

#include "mpqwidgets/glossary.h"
#include "mpqwidgets/thresholdcontrol.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace mpq::studio {

SettingsPanel::SettingsPanel(QWidget *parent)
    : QWidget(parent)
    , m_bits(new QSpinBox(this))
    , m_maxPoints(new QSpinBox(this))
    , m_search(new QComboBox(this))
    , m_rounding(new QComboBox(this))
    , m_extraBits(new QSpinBox(this))
    , m_halfStepPair(new QCheckBox(tr("&Half-step pair"), this))
    , m_images(new QLineEdit(this))
    , m_testImages(new QLineEdit(this))
    , m_changed(new QLabel(this))
    , m_count(new QSpinBox(this))
    , m_activationBits(new QComboBox(this))
    , m_threshold(new mpq::ui::ThresholdControl(this))
    , m_biasCorrection(new QCheckBox(tr("Bias &correction"), this))
    , m_sensitivityWeighted(new QCheckBox(tr("&Weight by output sensitivity"), this))
    , m_macCap(new QDoubleSpinBox(this))
    , m_analyze(new QPushButton(tr("Analyze"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    m_bits->setRange(2, 8);
    m_bits->setSuffix(tr(" bits"));
    // glossary tooltips on the words where they appear (issue 14)
    m_bits->setToolTip(QStringLiteral("<p>%1</p>").arg(tr("Bits of each point (2..8)")) +
                       mpq::ui::termToolTip(mpq::ui::Term::Point) +
                       mpq::ui::termToolTip(mpq::ui::Term::EffectiveBits));
    m_maxPoints->setRange(1, 8);
    m_maxPoints->setToolTip(
        QStringLiteral("<p>%1</p>").arg(tr("The most points a channel may get (1..8)")) +
        mpq::ui::termToolTip(mpq::ui::Term::Point));
    m_search->addItem(tr("exact"), static_cast<int>(mpq::SearchMethod::Exact));
    m_search->addItem(tr("grid"), static_cast<int>(mpq::SearchMethod::Grid));
    m_search->setToolTip(tr("How each point's scale is searched: the exact optimum, or the "
                            "paper's grid reference"));
    m_images->setPlaceholderText(tr("folder of images"));
    m_images->setToolTip(tr("Calibration images: every png/jpg/bmp/webp under this folder"));
    auto *browse = new QToolButton(this);
    browse->setIcon(QIcon::fromTheme(QStringLiteral("folder-open"),
                                     style()->standardIcon(QStyle::SP_DirOpenIcon)));
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose the folder of calibration images"));
    m_testImages->setPlaceholderText(tr("the calibration images"));
    m_testImages->setToolTip(tr("Test images: the Preview and Compare evaluate on this folder "
                                "when set, else on the calibration images"));
    auto *browseTest = new QToolButton(this);
    browseTest->setIcon(browse->icon());
    browseTest->setText(tr("…"));
    browseTest->setToolTip(tr("Choose the folder of test images"));
    m_changed->setText(tr("Settings changed: Analyze to apply. The plots show the previous "
                          "analysis."));
    m_changed->setWordWrap(true);
    m_changed->setStyleSheet(QStringLiteral("QLabel { color: #D55E00; font-weight: bold; }"));
    m_changed->setVisible(false);
    m_count->setRange(1, 10000);
    m_count->setToolTip(tr("Calibration images used, at most (a fixed, seeded choice)"));
    // docs/multipoint.md section 10
    m_rounding->addItem(tr("nearest"), static_cast<int>(mpq::Rounding::Nearest));
    m_rounding->addItem(tr("output-aware"), static_cast<int>(mpq::Rounding::OutputAware));
    m_rounding->setToolTip(
        tr("<p>How each point's codes are rounded: to the nearest level (the paper's rule), or "
           "output-aware: column by column, each rounding error fed back into the weights not "
           "yet rounded through the layer's input correlations, so the layer's output error is "
           "smaller. Costs one more pass over the calibration images; per-layer mixed precision "
           "in Compare uses the same rounding. A layer with more than 8192 inputs per channel is "
           "rounded to nearest, with a warning naming it.</p>"));
    // docs/multipoint.md section 11: 0 is "the same as the bits", at most the bits
    m_extraBits->setRange(0, m_bits->value()); // follows the bits below
    m_extraBits->setSpecialValueText(tr("same as the bits"));
    m_extraBits->setSuffix(tr(" bits"));
    m_extraBits->setToolTip(
        tr("<p>Bits of each point after a channel's first. The same as the bits is the paper's "
           "rule; fewer make an extra point cheaper in memory (1: a sign point, codes -1 and "
           "+1), so a memory budget buys more of them, while each still costs a full set of "
           "multiply-accumulates.</p>"));
    connect(m_bits, qOverload<int>(&QSpinBox::valueChanged), m_extraBits,
            [this](int bits) { m_extraBits->setMaximum(bits); });
    connect(m_extraBits, qOverload<int>(&QSpinBox::valueChanged), m_extraBits,
            [this](int bits) { m_extraBits->setSuffix(bits == 1 ? tr(" bit") : tr(" bits")); });
    // docs/multipoint.md section 12: only with one-bit extra points
    m_halfStepPair->setToolTip(
        tr("<p>With 1-bit extra points: round each channel's first two points together as one "
           "grid, a point at twice the step and a point of codes 0 and 1 (one bit more than the "
           "bits, less one level, zero included), while a channel given one point keeps its "
           "best single point. Costs the same memory as a sign point.</p>"));
    m_halfStepPair->setEnabled(false);
    connect(m_extraBits, qOverload<int>(&QSpinBox::valueChanged), m_halfStepPair,
            [this](int bits) { m_halfStepPair->setEnabled(bits == 1); });
    m_activationBits->addItem(tr("off"), 0);
    m_activationBits->addItem(tr("8 bits"), 8);
    m_activationBits->setToolTip(tr("Fake-quantize layer inputs when the quantized model runs"));
    m_analyze->setIcon(QIcon::fromTheme(QStringLiteral("system-run"),
                                        style()->standardIcon(QStyle::SP_MediaPlay)));
    m_analyze->setToolTip(tr("Analyze the model with these settings (Ctrl+R)"));
    m_analyze->setDefault(true);
    m_cancel->setIcon(QIcon::fromTheme(QStringLiteral("process-stop"),
                                       style()->standardIcon(QStyle::SP_BrowserStop)));
    m_cancel->setToolTip(tr("Cancel the running job (Esc)"));
    m_cancel->setEnabled(false);

    auto *imagesRow = new QHBoxLayout;
    imagesRow->setContentsMargins(0, 0, 0, 0);
    imagesRow->addWidget(m_images, 1);
    imagesRow->addWidget(browse);

    auto *analysis = new QGroupBox(tr("Analysis"), this);
    auto *form = new QFormLayout(analysis);
    auto *bitsLabel = new QLabel(tr("&Bits:"), this);
    bitsLabel->setBuddy(m_bits);
    bitsLabel->setToolTip(m_bits->toolTip());
    form->addRow(bitsLabel, m_bits);
    auto *maxPointsLabel = new QLabel(tr("&Max points:"), this);
    maxPointsLabel->setBuddy(m_maxPoints);
    maxPointsLabel->setToolTip(m_maxPoints->toolTip());
    form->addRow(maxPointsLabel, m_maxPoints);
    form->addRow(tr("&Search:"), m_search);
    form->addRow(tr("&Rounding:"), m_rounding);
    form->addRow(tr("E&xtra points:"), m_extraBits);
    form->addRow(QString(), m_halfStepPair);
    auto *imagesLabel = new QLabel(tr("&Images:"), this);
    imagesLabel->setBuddy(m_images);
    form->addRow(imagesLabel, imagesRow);
    auto *testRow = new QHBoxLayout;
    testRow->setContentsMargins(0, 0, 0, 0);
    testRow->addWidget(m_testImages, 1);
    testRow->addWidget(browseTest);
    auto *testLabel = new QLabel(tr("&Test images:"), this);
    testLabel->setBuddy(m_testImages);
    form->addRow(testLabel, testRow);
    form->addRow(tr("&Count:"), m_count);
    form->addRow(tr("Ac&tivations:"), m_activationBits);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_analyze);
    buttons->addWidget(m_cancel);
    form->addRow(buttons);
    form->addRow(m_changed);

    auto *allocation = new QGroupBox(tr("Allocation"), this);
    auto *allocationLayout = new QVBoxLayout(allocation);
    allocationLayout->addWidget(m_threshold);
    // docs/multipoint.md section 9: for every method, so comparisons stay fair
    m_biasCorrection->setToolTip(
        tr("<p>Add the mean output error each layer's quantized weights cause on the "
           "calibration images back to its bias (Nagel et al. 2019), for multipoint and every "
           "baseline. The allocation then sees the error left after the correction. Exports "
           "carry the corrected biases.</p>"));
    allocationLayout->addWidget(m_biasCorrection);
    connect(m_biasCorrection, &QCheckBox::toggled, this, &SettingsPanel::biasCorrectionToggled);
    // docs/multipoint.md section 8
    m_sensitivityWeighted->setToolTip(
        tr("<p>Spend the points where the model's output needs them: each channel's output "
           "error counts by how much it changes the model's final output (the softmax's KL for "
           "a classifier, otherwise the squared error of each raw output relative to its own "
           "scale), measured in the "
           "analysis with one backward pass per batch. Off: the paper's rule, every layer's "
           "relative error counts alike.</p>"));
    m_sensitivityWeighted->setChecked(mpq::kSensitivityWeightedDefault);
    allocationLayout->addWidget(m_sensitivityWeighted);
    connect(m_sensitivityWeighted, &QCheckBox::toggled, this, [this] {
        updateChanged(); // weighting needs an analysis with sensitivity
        emit taskAwareChanged();
    });
    m_macCap->setObjectName(QStringLiteral("macCapSpinBox"));
    m_macCap->setRange(-1.0, 1000.0);
    m_macCap->setDecimals(1);
    m_macCap->setSingleStep(5.0);
    m_macCap->setSuffix(tr(" %"));
    m_macCap->setSpecialValueText(tr("none"));
    m_macCap->setValue(-1.0);
    m_macCap->setToolTip(
        tr("<p>With a memory budget: the extra multiply-accumulates the points may cost, at most, "
           "in percent of all MACs of the quantizable layers. Points are still bought by their "
           "gain per bit of memory; a point that would pass the cap is skipped. "
           "<i>none</i>: no cap.</p>"));
    auto *capRow = new QHBoxLayout;
    capRow->setContentsMargins(0, 0, 0, 0);
    auto *capLabel = new QLabel(tr("MAC ca&p:"), this);
    capLabel->setBuddy(m_macCap);
    capLabel->setToolTip(m_macCap->toolTip());
    capRow->addWidget(capLabel);
    capRow->addWidget(m_macCap, 1);
    allocationLayout->addLayout(capRow);
    connect(m_macCap, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            &SettingsPanel::taskAwareChanged);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(analysis);
    layout->addWidget(allocation);
    layout->addStretch(1);

    setAnalysisSettings(mpq::AnalysisSettings{});
    connect(m_analyze, &QPushButton::clicked, this, &SettingsPanel::analyzeRequested);
    connect(m_cancel, &QPushButton::clicked, this, &SettingsPanel::cancelRequested);
    connect(browse, &QToolButton::clicked, this, &SettingsPanel::browseImages);
    connect(m_images, &QLineEdit::editingFinished, this,
            [this] { emit imagesDirChanged(m_images->text()); });
    connect(browseTest, &QToolButton::clicked, this, &SettingsPanel::browseTestImages);
    connect(m_testImages, &QLineEdit::editingFinished, this,
            [this] { emit testImagesDirChanged(m_testImages->text()); });
    // any edit of what the next analysis uses may make the shown one out of date
    connect(m_images, &QLineEdit::textChanged, this, &SettingsPanel::updateChanged);
    for (QSpinBox *box : {m_bits, m_maxPoints, m_count, m_extraBits})
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &SettingsPanel::updateChanged);
    connect(m_halfStepPair, &QCheckBox::toggled, this, &SettingsPanel::updateChanged);
    for (QComboBox *box : {m_search, m_rounding, m_activationBits})
        connect(box, qOverload<int>(&QComboBox::currentIndexChanged), this,
                &SettingsPanel::updateChanged);
}

bool SettingsPanel::biasCorrection() const
{
    return m_biasCorrection->isChecked();
}

void SettingsPanel::setBiasCorrection(bool on)
{
    const QSignalBlocker block(m_biasCorrection);
    m_biasCorrection->setChecked(on);
}

bool SettingsPanel::sensitivityWeighted() const
{
    return m_sensitivityWeighted->isChecked();
}

void SettingsPanel::setSensitivityWeighted(bool on)
{
    const QSignalBlocker block(m_sensitivityWeighted);
    m_sensitivityWeighted->setChecked(on);
    updateChanged();
}

double SettingsPanel::macCap() const
{
    return m_macCap->value() < 0 ? -1.0 : m_macCap->value() / 100.0;
}

void SettingsPanel::setMacCap(double fraction)
{
    const QSignalBlocker block(m_macCap);
    m_macCap->setValue(fraction < 0 ? -1.0 : 100.0 * fraction);
}

QString SettingsPanel::testImagesDir() const
{
    return m_testImages->text();
}

void SettingsPanel::setTestImagesDir(const QString &dir)
{
    m_testImages->setText(dir);
}

void SettingsPanel::setApplied(std::optional<mpq::AnalysisSettings> settings,
                               const QString &imagesDir)
{
    m_applied = std::move(settings);
    m_appliedImages = imagesDir;
    updateChanged();
}

bool SettingsPanel::isChanged() const
{
    if (!m_applied)
        return false;
    const mpq::AnalysisSettings now = analysisSettings();
    const mpq::AnalysisSettings &a = *m_applied;
    const bool sameImages = m_appliedImages.isEmpty() ||
                            QDir::cleanPath(QFileInfo(m_images->text()).absoluteFilePath()) ==
                                QDir::cleanPath(QFileInfo(m_appliedImages).absoluteFilePath());
    // an analysis without sensitivity is out of date only when the weighting needs it
    return now.bits != a.bits || now.maxPoints != a.maxPoints || now.search != a.search ||
           now.rounding != a.rounding || now.calibCount != a.calibCount ||
           mpq::extraPointBits(now.bits, now.extraPointBits) !=
               mpq::extraPointBits(a.bits, a.extraPointBits) ||
           now.halfStepPair != a.halfStepPair || now.activationBits != a.activationBits ||
           (now.sensitivity && !a.sensitivity) || !sameImages;
}

void SettingsPanel::updateChanged()
{
    m_changed->setVisible(isChanged());
}

mpq::AnalysisSettings SettingsPanel::analysisSettings() const
{
    mpq::AnalysisSettings s;
    s.bits = m_bits->value();
    s.maxPoints = m_maxPoints->value();
    s.search = static_cast<mpq::SearchMethod>(m_search->currentData().toInt());
    s.rounding = static_cast<mpq::Rounding>(m_rounding->currentData().toInt());
    s.extraPointBits = m_extraBits->value();
    s.halfStepPair = m_halfStepPair->isChecked() && m_extraBits->value() == 1;
    s.calibCount = m_count->value();
    s.activationBits = m_activationBits->currentData().toInt();
    // measured by default, and whenever the weighting is on (docs/multipoint.md section 8)
    s.sensitivity = mpq::kSensitivityDefault || m_sensitivityWeighted->isChecked();
    return s;
}

void SettingsPanel::setAnalysisSettings(const mpq::AnalysisSettings &s)
{
    m_bits->setValue(s.bits);
    m_maxPoints->setValue(s.maxPoints);
    m_search->setCurrentIndex(m_search->findData(static_cast<int>(s.search)));
    m_rounding->setCurrentIndex(m_rounding->findData(static_cast<int>(s.rounding)));
    m_extraBits->setValue(s.extraPointBits);
    m_halfStepPair->setChecked(s.halfStepPair);
    m_count->setValue(s.calibCount);
    m_activationBits->setCurrentIndex(s.activationBits > 0 ? 1 : 0);
}

QString SettingsPanel::imagesDir() const
{
    return m_images->text();
}

void SettingsPanel::setImagesDir(const QString &dir)
{
    m_images->setText(dir);
}

void SettingsPanel::setBusy(bool busy)
{
    m_cancel->setEnabled(busy);
}

void SettingsPanel::setAnalyzeEnabled(bool enabled)
{
    m_analyze->setEnabled(enabled);
}

void SettingsPanel::browseImages()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder of calibration images"),
                                                          m_images->text());
    if (dir.isEmpty())
        return;
    m_images->setText(dir);
    emit imagesDirChanged(dir);
}

void SettingsPanel::browseTestImages()
{
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Folder of test images"), m_testImages->text());
    if (dir.isEmpty())
        return;
    m_testImages->setText(dir);
    emit testImagesDirChanged(dir);
}

} // namespace mpq::studio
