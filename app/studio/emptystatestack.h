#pragma once

#include <QStackedWidget>

class QLabel;

namespace mpq::studio {

/// A page that shows either its content or, while there is nothing to show, a sentence saying
/// what to do next (docs/ui.md: an empty state, never an empty axis).
class EmptyStateStack : public QStackedWidget
{
    Q_OBJECT
public:
    explicit EmptyStateStack(QWidget *content, QWidget *parent = nullptr);

    /// Shows the message instead of the content.
    void showEmptyState(const QString &message);
    void showContent();
    bool isShowingContent() const;
    QString emptyMessage() const;

private:
    QLabel *m_message;
    QWidget *m_content;
};

} // namespace mpq::studio
