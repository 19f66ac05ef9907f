#include "profiledialog.h"

#include "mpq/error.h"
#include "mpq/profileguess.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>

namespace mpq::studio {

namespace {

QString joinNumbers(const std::vector<double> &values)
{
    QStringList parts;
    for (double v : values)
        parts << QString::number(v, 'g', 6);
    return parts.join(QStringLiteral(", "));
}

std::vector<double> splitNumbers(const QString &text, bool &ok)
{
    std::vector<double> values;
    ok = true;
    const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        bool one = false;
        values.push_back(p.trimmed().toDouble(&one));
        ok = ok && one;
    }
    return values;
}

} // namespace

ProfileDialog::ProfileDialog(const QString &modelPath, const mpq::ModelProfile &initial,
                             QWidget *parent)
    : QDialog(parent)
    , m_path(QString::fromStdString(mpq::defaultProfilePath(modelPath.toStdString())))
    , m_task(new QComboBox(this))
    , m_width(new QSpinBox(this))
    , m_height(new QSpinBox(this))
    , m_color(new QComboBox(this))
    , m_resize(new QComboBox(this))
    , m_layout(new QComboBox(this))
    , m_scale(new QDoubleSpinBox(this))
    , m_mean(new QLineEdit(this))
    , m_std(new QLineEdit(this))
    , m_decoder(new QComboBox(this))
    , m_labels(new QPlainTextEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Model profile: %1").arg(QFileInfo(modelPath).fileName()));
    m_task->addItem(tr("Classification"), static_cast<int>(mpq::Task::Classification));
    m_task->addItem(tr("Detection"), static_cast<int>(mpq::Task::Detection));
    for (QSpinBox *s : {m_width, m_height}) {
        s->setRange(1, 8192);
        s->setSuffix(tr(" px"));
    }
    m_color->addItem(tr("RGB"), static_cast<int>(mpq::ColorOrder::Rgb));
    m_color->addItem(tr("BGR"), static_cast<int>(mpq::ColorOrder::Bgr));
    m_color->addItem(tr("Gray"), static_cast<int>(mpq::ColorOrder::Gray));
    m_resize->addItem(tr("Stretch"), static_cast<int>(mpq::ResizeMode::Stretch));
    m_resize->addItem(tr("Letterbox"), static_cast<int>(mpq::ResizeMode::Letterbox));
    m_resize->addItem(tr("Centre crop"), static_cast<int>(mpq::ResizeMode::CenterCrop));
    m_layout->addItem(tr("NCHW (channels first)"), static_cast<int>(mpq::InputLayout::Nchw));
    m_layout->addItem(tr("NHWC (channels last)"), static_cast<int>(mpq::InputLayout::Nhwc));
    m_layout->setToolTip(tr("How the model takes its input batch: channels first (PyTorch) or "
                            "channels last (as TensorFlow models converted to ONNX take it)"));
    m_scale->setDecimals(8);
    m_scale->setRange(1e-8, 1000.0);
    m_mean->setToolTip(tr("One value per channel, after scaling, comma-separated"));
    m_std->setToolTip(tr("One value per channel, all > 0, comma-separated"));
    m_decoder->addItem(tr("Logits"), static_cast<int>(mpq::DecoderKind::Logits));
    m_decoder->addItem(tr("Probabilities"), static_cast<int>(mpq::DecoderKind::Probabilities));
    m_decoder->addItem(tr("CenterNet heatmaps"), static_cast<int>(mpq::DecoderKind::CenterNet));
    m_decoder->addItem(tr("Boxes and scores"), static_cast<int>(mpq::DecoderKind::BoxesScores));
    m_decoder->addItem(tr("YOLO"), static_cast<int>(mpq::DecoderKind::Yolo));
    m_decoder->addItem(tr("Torchvision detection"),
                       static_cast<int>(mpq::DecoderKind::Torchvision));
    m_labels->setPlaceholderText(tr("One class name per line (optional)"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: palette(highlight)"));
    m_error->hide();

    auto *intro = new QLabel(
        tr("This model has no profile yet: say how to feed it images and how to read its output. "
           "The values below are guesses from the model; it is saved as %1.")
            .arg(QFileInfo(m_path).fileName()),
        this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout(this);
    form->addRow(intro);
    form->addRow(tr("&Task:"), m_task);
    form->addRow(tr("Input &width:"), m_width);
    form->addRow(tr("Input &height:"), m_height);
    form->addRow(tr("&Colour order:"), m_color);
    form->addRow(tr("&Resize:"), m_resize);
    form->addRow(tr("&Layout:"), m_layout);
    form->addRow(tr("&Scale:"), m_scale);
    form->addRow(tr("&Mean:"), m_mean);
    form->addRow(tr("S&td:"), m_std);
    form->addRow(tr("&Decoder:"), m_decoder);
    form->addRow(tr("&Labels:"), m_labels);
    form->addRow(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ProfileDialog::reject);
    connect(m_task, &QComboBox::currentIndexChanged, this, &ProfileDialog::onTaskChanged);
    setProfile(initial);
}

mpq::ModelProfile ProfileDialog::guess(const QString &modelPath,
                                       const std::vector<mpq::LayerInfo> &layers)
{
    return mpq::guessProfile(modelPath.toStdString(), layers);
}

mpq::ModelProfile ProfileDialog::guess(const mpq::Model &model)
{
    return mpq::guessProfile(model);
}

void ProfileDialog::setProfile(const mpq::ModelProfile &p)
{
    m_base = p;
    m_task->setCurrentIndex(m_task->findData(static_cast<int>(p.task)));
    m_width->setValue(p.input.width);
    m_height->setValue(p.input.height);
    m_color->setCurrentIndex(m_color->findData(static_cast<int>(p.input.color)));
    m_resize->setCurrentIndex(m_resize->findData(static_cast<int>(p.input.resize)));
    m_layout->setCurrentIndex(m_layout->findData(static_cast<int>(p.input.layout)));
    m_scale->setValue(p.input.scale);
    m_mean->setText(joinNumbers(p.input.mean));
    m_std->setText(joinNumbers(p.input.std));
    m_decoder->setCurrentIndex(m_decoder->findData(static_cast<int>(p.output.decoder)));
    QStringList labels;
    for (const std::string &l : p.labels)
        labels << QString::fromStdString(l);
    m_labels->setPlainText(labels.join(QLatin1Char('\n')));
}

void ProfileDialog::onTaskChanged()
{
    const bool classification = m_task->currentData().toInt() == int(mpq::Task::Classification);
    const int decoder = m_decoder->currentData().toInt();
    const bool classifierDecoder =
        decoder == int(mpq::DecoderKind::Logits) || decoder == int(mpq::DecoderKind::Probabilities);
    if (classification != classifierDecoder)
        m_decoder->setCurrentIndex(m_decoder->findData(
            int(classification ? mpq::DecoderKind::Logits : mpq::DecoderKind::CenterNet)));
}

mpq::ModelProfile ProfileDialog::profile() const
{
    mpq::ModelProfile p = m_base;
    p.task = static_cast<mpq::Task>(m_task->currentData().toInt());
    p.input.width = m_width->value();
    p.input.height = m_height->value();
    p.input.color = static_cast<mpq::ColorOrder>(m_color->currentData().toInt());
    p.input.channels = p.input.color == mpq::ColorOrder::Gray ? 1 : 3;
    p.input.resize = static_cast<mpq::ResizeMode>(m_resize->currentData().toInt());
    p.input.layout = static_cast<mpq::InputLayout>(m_layout->currentData().toInt());
    p.input.scale = m_scale->value();
    bool ok = true;
    p.input.mean = splitNumbers(m_mean->text(), ok);
    p.input.std = splitNumbers(m_std->text(), ok);
    p.output.decoder = static_cast<mpq::DecoderKind>(m_decoder->currentData().toInt());
    p.labels.clear();
    p.labelsFile.clear();
    const QStringList lines = m_labels->toPlainText().split(QLatin1Char('\n'));
    for (const QString &l : lines)
        if (!l.trimmed().isEmpty())
            p.labels.push_back(l.trimmed().toStdString());
    return p;
}

void ProfileDialog::accept()
{
    bool meanOk = true, stdOk = true;
    splitNumbers(m_mean->text(), meanOk);
    splitNumbers(m_std->text(), stdOk);
    if (!meanOk || !stdOk) {
        m_error->setText(tr("Mean and std need numbers separated by commas."));
        m_error->show();
        return;
    }
    try {
        // Round trip through the parser: the same checks as loading it later.
        const mpq::ModelProfile p = mpq::parseProfile(mpq::profileToJson(profile()),
                                                      QFileInfo(m_path).fileName().toStdString());
        mpq::saveProfile(p, m_path.toStdString());
    } catch (const mpq::Error &e) {
        m_error->setText(tr("Not saved: %1").arg(QString::fromStdString(e.what())));
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace mpq::studio
