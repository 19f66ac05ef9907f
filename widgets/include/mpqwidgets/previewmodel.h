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

/// One differing image of a run diff (issue 15, docs/ui.md "Run diff on Preview"),
/// as the Preview marks it: matched to an evaluated image by one of `paths` (where the runs
/// evaluated it), else by its path relative to the runs' image folder (`image`, a suffix after
/// a '/'), and the caption line saying what changed ("A: cat 91 % → B: dog 55 %").
struct RunMark
{
    QString image;     ///< relative to the folder common to the runs' images
    QStringList paths; ///< absolute paths where the runs evaluated it
    QString caption;
};

/// The images two runs' predictions differ on, as the Preview shows them (the controller that
/// holds the diff fills it; the page only shows it). Empty names: no diff is shown.
struct RunMarks
{
    QString nameA, nameB;
    std::vector<RunMark> images;
    int compared = 0; ///< images both runs were evaluated on
    QString note;     ///< out of date or other remark, shown with the names; empty: none
    bool empty() const { return nameA.isEmpty() && nameB.isEmpty(); }
};

/// One row per evaluated image. Roles: DisplayRole (file name, then one line per model:
/// top-1 with probability, or the number of boxes; a marked image's run-diff caption last),
/// DecorationRole (the thumbnail as a QIcon, which the view scales to its icon size; boxes drawn at
/// the current score threshold), ToolTipRole (top-3 per model, or every box), BackgroundRole
/// (tinted when the quantized prediction differs), and the roles below. Read-only.
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
        DiffersRole,             ///< bool: marked as differing between the two runs (RunMarks)
        RunDiffRole,             ///< QString: that mark's caption line; empty when not marked
    };

    explicit PreviewModel(QObject *parent = nullptr);

    void setPreview(PreviewData data);
    const PreviewData &preview() const { return m_data; }
    /// Boxes below this score are not drawn or counted (detectors). Redraws the thumbnails.
    void setScoreThreshold(double threshold);
    double scoreThreshold() const { return m_threshold; }
    /// Images whose prediction changed, at the current threshold.
    int changedCount() const;
    /// Marks the images two runs differ on (framed thumbnail with an "A≠B" badge, one more
    /// caption line, DiffersRole); kept across setPreview (matched again to the new images).
    /// Default RunMarks: no marks.
    void setRunMarks(RunMarks marks);
    const RunMarks &runMarks() const { return m_marks; }
    /// Rows marked by the run diff.
    int markedCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    bool changed(int row) const;
    QStringList summary(int row, bool quantized) const;

    PreviewData m_data;
    double m_threshold = 0.3;
    const QImage &thumbnail(int row) const;
    void matchMarks(); ///< fills m_markOf from m_marks and the images
    RunMarks m_marks;
    std::vector<int> m_markOf; ///< per row: index into m_marks.images, -1 when not marked

    mutable std::vector<QImage> m_drawn; ///< thumbnails with boxes, made on first use
};

/// The colour of the run diff's marks on Preview (Okabe-Ito reddish purple, docs/ui.md).
QColor runDiffColor();

/// Boxes of `boxes` at or above `threshold`.
int countAbove(const std::vector<mpq::Detection> &boxes, double threshold);

/// True when float and quantized detections above `threshold` do not pair up one to one
/// (same label, IoU >= 0.5).
bool detectionsDiffer(const std::vector<mpq::Detection> &floatBoxes,
                      const std::vector<mpq::Detection> &quantizedBoxes, double threshold);

} // namespace mpq::ui
