#include "mpqwidgets/previewmodel.h"

#include "mpqwidgets/palette.h"
#include "mpqwidgets/predictionrender.h"

#include <QBrush>
#include <QFileInfo>
#include <QIcon>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

#include <algorithm>

namespace mpq::ui {

namespace {

int argmax(const std::vector<float> &p)
{
    return p.empty() ? -1 : int(std::max_element(p.begin(), p.end()) - p.begin());
}

QString label(int index, const std::vector<std::string> &labels)
{
    return index >= 0 && index < int(labels.size()) ? QString::fromStdString(labels[index])
                                                    : QString::number(index);
}

// Tiny images (28x28 classifier samples) are enlarged with nearest neighbour so that pixels stay
// crisp at icon size; photos are already at thumbnail size.
QImage atLeast(const QImage &image, int side)
{
    if (image.isNull() || std::max(image.width(), image.height()) >= side)
        return image;
    return image.scaled(side, side, Qt::KeepAspectRatio, Qt::FastTransformation);
}

} // namespace

QColor runDiffColor()
{
    return QColor(0xCC, 0x79, 0xA7); // Okabe-Ito reddish purple: apart from float and quantized
}

int countAbove(const std::vector<mpq::Detection> &boxes, double threshold)
{
    return int(std::count_if(boxes.begin(), boxes.end(),
                             [&](const mpq::Detection &d) { return d.score >= threshold; }));
}

bool detectionsDiffer(const std::vector<mpq::Detection> &floatBoxes,
                      const std::vector<mpq::Detection> &quantizedBoxes, double threshold)
{
    if (countAbove(floatBoxes, threshold) != countAbove(quantizedBoxes, threshold))
        return true;
    std::vector<bool> used(quantizedBoxes.size(), false);
    for (const mpq::Detection &f : floatBoxes) {
        if (f.score < threshold)
            continue;
        bool matched = false;
        for (std::size_t q = 0; q < quantizedBoxes.size() && !matched; ++q)
            if (!used[q] && quantizedBoxes[q].score >= threshold &&
                quantizedBoxes[q].label == f.label &&
                mpq::intersectionOverUnion(f, quantizedBoxes[q]) >= 0.5)
                used[q] = matched = true;
        if (!matched)
            return true;
    }
    return false;
}

PreviewModel::PreviewModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void PreviewModel::setPreview(PreviewData data)
{
    beginResetModel();
    m_data = std::move(data);
    m_threshold = m_data.profile.output.scoreThreshold;
    m_drawn.assign(m_data.result ? m_data.result->images.size() : 0, QImage());
    matchMarks();
    endResetModel();
}

void PreviewModel::setRunMarks(RunMarks marks)
{
    beginResetModel();
    m_marks = std::move(marks);
    std::fill(m_drawn.begin(), m_drawn.end(), QImage());
    matchMarks();
    endResetModel();
}

void PreviewModel::matchMarks()
{
    const int rows = rowCount();
    m_markOf.assign(std::size_t(rows), -1);
    for (int row = 0; row < rows; ++row) {
        const QString file = QString::fromStdString(m_data.result->images[std::size_t(row)].file);
        int suffix = -1;
        for (int k = 0; k < int(m_marks.images.size()); ++k) {
            const RunMark &mark = m_marks.images[std::size_t(k)];
            if (mark.paths.contains(file)) { // where a run evaluated it: certain
                m_markOf[std::size_t(row)] = k;
                break;
            }
            // the same relative path under another folder (the images were moved)
            if (suffix < 0 && !mark.image.isEmpty() &&
                (file == mark.image || file.endsWith(QLatin1Char('/') + mark.image)))
                suffix = k;
        }
        if (m_markOf[std::size_t(row)] < 0)
            m_markOf[std::size_t(row)] = suffix;
    }
}

int PreviewModel::markedCount() const
{
    return int(std::count_if(m_markOf.begin(), m_markOf.end(), [](int k) { return k >= 0; }));
}

void PreviewModel::setScoreThreshold(double threshold)
{
    if (threshold == m_threshold)
        return;
    m_threshold = threshold;
    std::fill(m_drawn.begin(), m_drawn.end(), QImage());
    if (rowCount() > 0)
        emit dataChanged(index(0), index(rowCount() - 1));
}

int PreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_data.result ? 0 : int(m_data.result->images.size());
}

bool PreviewModel::changed(int row) const
{
    const mpq::ImagePrediction &p = m_data.result->images[row];
    if (m_data.result->task == mpq::Task::Classification)
        return argmax(p.floatProbabilities) != argmax(p.quantizedProbabilities);
    return detectionsDiffer(p.floatDetections, p.quantizedDetections, m_threshold);
}

int PreviewModel::changedCount() const
{
    int n = 0;
    for (int row = 0; row < rowCount(); ++row)
        n += changed(row);
    return n;
}

QStringList PreviewModel::summary(int row, bool quantized) const
{
    const mpq::ImagePrediction &p = m_data.result->images[row];
    const std::vector<std::string> &labels = m_data.profile.labels;
    if (m_data.result->task == mpq::Task::Classification)
        return topClasses(quantized ? p.quantizedProbabilities : p.floatProbabilities, labels, 3);
    QStringList out;
    for (const mpq::Detection &d : quantized ? p.quantizedDetections : p.floatDetections)
        if (d.score >= m_threshold)
            out << QStringLiteral("%1 %2").arg(label(d.label, labels)).arg(d.score, 0, 'f', 2);
    return out;
}

const QImage &PreviewModel::thumbnail(int row) const
{
    static const QImage none;
    if (row >= int(m_data.images.size()) || m_data.images[row].isNull())
        return none;
    if (m_drawn[row].isNull()) {
        const mpq::ImagePrediction &p = m_data.result->images[row];
        m_drawn[row] =
            m_data.result->task == mpq::Task::Classification
                ? atLeast(m_data.images[row], 112)
                : drawDetections(m_data.images[row], m_data.scales[row], p.floatDetections,
                                 p.quantizedDetections, m_data.profile.labels, m_threshold);
        if (m_markOf[std::size_t(row)] >= 0) {
            // the run diff's mark (docs/ui.md "Run diff on Preview"): a frame and a corner badge
            QImage &image = m_drawn[row];
            image = image.convertToFormat(QImage::Format_ARGB32_Premultiplied);
            QPainter painter(&image);
            const QColor color = runDiffColor();
            const int w = std::max(3, std::min(image.width(), image.height()) / 24);
            painter.setPen(QPen(color, w));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(QRectF(w / 2.0, w / 2.0, image.width() - w, image.height() - w));
            QFont font = painter.font();
            font.setBold(true);
            font.setPixelSize(std::max(9, std::min(image.width(), image.height()) / 7));
            painter.setFont(font);
            const QString badge = QStringLiteral("A≠B");
            const QRect text = QFontMetrics(font).boundingRect(badge).adjusted(-4, -2, 4, 2);
            const QRect box(image.width() - text.width() - w, w, text.width(), text.height());
            painter.fillRect(box, color);
            painter.setPen(Qt::white);
            painter.drawText(box, Qt::AlignCenter, badge);
        }
    }
    return m_drawn[row];
}

QVariant PreviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int row = index.row();
    const mpq::ImagePrediction &p = m_data.result->images[row];
    const bool classification = m_data.result->task == mpq::Task::Classification;
    switch (role) {
    case Qt::DisplayRole: {
        const QString name = QFileInfo(QString::fromStdString(p.file)).fileName();
        const QString mark =
            m_markOf[std::size_t(row)] >= 0
                ? QStringLiteral("\n≠ ") + m_marks.images[std::size_t(m_markOf[row])].caption
                : QString();
        if (classification) {
            const QStringList f = summary(row, false), q = summary(row, true);
            return tr("%1\nF: %2\nQ: %3").arg(name, f.value(0), q.value(0)) + mark;
        }
        return tr("%1\nF: %2, Q: %3")
                   .arg(name, tr("%n box(es)", nullptr, countAbove(p.floatDetections, m_threshold)),
                        tr("%n box(es)", nullptr, countAbove(p.quantizedDetections, m_threshold))) +
               mark;
    }
    case Qt::DecorationRole: {
        const QImage &image = thumbnail(row);
        return image.isNull() ? QVariant() : QVariant(QIcon(QPixmap::fromImage(image)));
    }
    case ThumbnailRole: {
        const QImage &image = thumbnail(row);
        return image.isNull() ? QVariant() : QVariant(image);
    }
    case Qt::ToolTipRole: {
        const QString f = summary(row, false).join(QStringLiteral(", "));
        const QString q = summary(row, true).join(QStringLiteral(", "));
        QString tip = tr("%1\nfloat: %2\nquantized: %3%4")
                          .arg(QString::fromStdString(p.file), f.isEmpty() ? tr("nothing") : f,
                               q.isEmpty() ? tr("nothing") : q,
                               changed(row) ? tr("\nthe quantized prediction differs") : QString());
        if (m_markOf[std::size_t(row)] >= 0)
            tip += tr("\ndiffers between the runs A (%1) and B (%2): %3")
                       .arg(m_marks.nameA, m_marks.nameB,
                            m_marks.images[std::size_t(m_markOf[row])].caption);
        return tip;
    }
    case Qt::BackgroundRole: {
        if (!changed(row))
            return {};
        QColor tint = quantizedColor();
        tint.setAlpha(60);
        return QBrush(tint);
    }
    case FileRole:
        return QString::fromStdString(p.file);
    case ChangedRole:
        return changed(row);
    case DiffersRole:
        return m_markOf[std::size_t(row)] >= 0;
    case RunDiffRole:
        return m_markOf[std::size_t(row)] >= 0 ? m_marks.images[std::size_t(m_markOf[row])].caption
                                               : QString();
    case FloatSummaryRole:
        return summary(row, false);
    case QuantizedSummaryRole:
        return summary(row, true);
    default:
        return {};
    }
}

} // namespace mpq::ui
