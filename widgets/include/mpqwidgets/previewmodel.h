#pragma once
// The Preview page's items: one per sample image, with what the float and the quantized model
// said about it (mpq::EvaluationResult) and a thumbnail with the predictions drawn on it.

#include "mpq/evaluation.h"
#include "mpq/profile.h"

#include <QAbstractListModel>
#include <QImage>

#include <memory>
#include <vector>

namespace mpq::ui {

/// What an evaluation job hands to the Preview: the result and the sample images already
/// decoded and scaled (loadScaledImage, on the worker thread), with the setting it belongs to.
struct PreviewData
{
    std::shared_ptr<const mpq::EvaluationResult> result;
    std::vector<QImage> images;  ///< per result image; null when it could not be read
    std::vector<double> scales;  ///< per image: thumbnail pixels per original pixel
    mpq::ModelProfile profile;   ///< task, labels, score threshold
    QString setting;             ///< e.g. "epsilon 1.00e-03 at 4 bits"
    double memoryOverhead = 0.0; ///< of the quantized model evaluated
    double macOverhead = 0.0;
    double effectiveBits = 0.0;
};

/// One row per evaluated image. Roles: DisplayRole (file name, then one line per model:
/// top-1 with probability, or the number of boxes), DecorationRole (the thumbnail as a QIcon,
/// which the view scales to its icon size; boxes drawn at the current score threshold), ToolTipRole
/// (top-3 per model, or every box), BackgroundRole (tinted when the quantized prediction differs),
/// and the roles below. Read-only.
class PreviewModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        FileRole = Qt::UserRole, ///< QString: the image path
        ChangedRole,             ///< bool: top-1 changed, or boxes gained or lost
        FloatSummaryRole,        ///< QStringList: top-3 classes or boxes, float
        QuantizedSummaryRole,    ///< QStringList: the same for the quantized model
        ThumbnailRole,           ///< QImage: the thumbnail as drawn (DecorationRole's pixels)
    };

    explicit PreviewModel(QObject *parent = nullptr);

    void setPreview(PreviewData data);
    const PreviewData &preview() const { return m_data; }
    /// Boxes below this score are not drawn or counted (detectors). Redraws the thumbnails.
    void setScoreThreshold(double threshold);
    double scoreThreshold() const { return m_threshold; }
    /// Images whose prediction changed, at the current threshold.
    int changedCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    bool changed(int row) const;
    QStringList summary(int row, bool quantized) const;

    PreviewData m_data;
    double m_threshold = 0.3;
    const QImage &thumbnail(int row) const;

    mutable std::vector<QImage> m_drawn; ///< thumbnails with boxes, made on first use
};

/// Boxes of `boxes` at or above `threshold`.
int countAbove(const std::vector<mpq::Detection> &boxes, double threshold);

/// True when float and quantized detections above `threshold` do not pair up one to one
/// (same label, IoU >= 0.5).
bool detectionsDiffer(const std::vector<mpq::Detection> &floatBoxes,
                      const std::vector<mpq::Detection> &quantizedBoxes, double threshold);

} // namespace mpq::ui
