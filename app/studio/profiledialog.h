#pragma once

#include "mpq/model.h"
#include "mpq/profile.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace mpq::studio {

/// The form for a model without a profile (or to edit one): task, input size, colour,
/// normalization, decoder and labels. accept() saves the profile beside the model, atomically;
/// a failed save keeps the dialog open with the reason.
class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    ProfileDialog(const QString &modelPath, const mpq::ModelProfile &initial,
                  QWidget *parent = nullptr);

    /// Sensible first values from what the layers show: input channels from the first layer,
    /// classes from a final Linear layer, a detector decoder from the file name.
    static mpq::ModelProfile guess(const QString &modelPath,
                                   const std::vector<mpq::LayerInfo> &layers);
    /// The same from a loaded model, which for an ONNX source also reads its declared input
    /// (name, layout, size) and outputs (mpq::guessProfile; docs/onnx.md).
    static mpq::ModelProfile guess(const mpq::Model &model);

    mpq::ModelProfile profile() const;
    QString profilePath() const { return m_path; }

    void accept() override;

private:
    void setProfile(const mpq::ModelProfile &profile);
    void onTaskChanged();

    QString m_path;
    QComboBox *m_task;
    QSpinBox *m_width;
    QSpinBox *m_height;
    QComboBox *m_color;
    QComboBox *m_resize;
    QComboBox *m_layout; ///< the input tensor's layout: NCHW or NHWC (docs/onnx.md)
    QDoubleSpinBox *m_scale;
    QLineEdit *m_mean;
    QLineEdit *m_std;
    QComboBox *m_decoder;
    QPlainTextEdit *m_labels;
    QLabel *m_error;
    mpq::ModelProfile m_base; ///< fields the form does not edit (output thresholds, box format)
};

} // namespace mpq::studio
