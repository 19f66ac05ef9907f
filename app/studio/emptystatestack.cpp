#include "emptystatestack.h"

#include <QLabel>

namespace mpq::studio {

EmptyStateStack::EmptyStateStack(QWidget *content, QWidget *parent)
    : QStackedWidget(parent)
    , m_message(new QLabel(this))
    , m_content(content)
{
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setMargin(24);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    QFont font = m_message->font();
    font.setPointSizeF(font.pointSizeF() * 1.2);
    m_message->setFont(font);
    addWidget(m_message);
    addWidget(m_content);
}

void EmptyStateStack::showEmptyState(const QString &message)
{
    m_message->setText(message);
    setCurrentWidget(m_message);
}

void EmptyStateStack::showContent()
{
    setCurrentWidget(m_content);
}

bool EmptyStateStack::isShowingContent() const
{
    return currentWidget() == m_content;
}

QString EmptyStateStack::emptyMessage() const
{
    return m_message->text();
}

} // namespace mpq::studio
