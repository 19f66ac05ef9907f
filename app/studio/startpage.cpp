#include "startpage.h"

#include "recentfiles.h"

#include "mpqwidgets/numberformat.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QStyle>
#include <QVBoxLayout>

namespace mpq::studio {

namespace {
constexpr int PathRole = Qt::UserRole;
constexpr int ImagesRole = Qt::UserRole + 1;
} // namespace

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
    , m_recent(new QListWidget(this))
{
    auto *outer = new QHBoxLayout(this);
    auto *column = new QVBoxLayout;
    outer->addStretch(1);
    outer->addLayout(column, 3);
    outer->addStretch(1);

    auto *title = new QLabel(tr("MPQ Studio"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 2.2);
    titleFont.setBold(true);
    title->setFont(titleFont);
    auto *subtitle = new QLabel(
        tr("Multipoint post-training quantization: find the sensitive layers, see what a budget "
           "buys, and check that the model still does its job."),
        this);
    subtitle->setWordWrap(true);

    auto *demo = new QCommandLinkButton(
        tr("Open the built-in demo"),
        tr("A CenterNet-MobileNetV3 object detector (COCO) with its sample images."), this);
    demo->setIcon(QIcon::fromTheme(QStringLiteral("media-playback-start"),
                                   style()->standardIcon(QStyle::SP_MediaPlay)));
    auto *open = new QCommandLinkButton(
        tr("Open model…"), tr("A TorchScript (.pt) or ONNX (.onnx) file. Ctrl+O"), this);
    open->setIcon(QIcon::fromTheme(QStringLiteral("document-open"),
                                   style()->standardIcon(QStyle::SP_DialogOpenButton)));
    for (QCommandLinkButton *b : {demo, open}) {
        QFont f = b->font();
        f.setPointSizeF(f.pointSizeF() * 1.25);
        b->setFont(f);
    }

    auto *recentTitle = new QLabel(tr("Recent models and projects"), this);
    QFont bold = recentTitle->font();
    bold.setBold(true);
    recentTitle->setFont(bold);
    m_recent->setAlternatingRowColors(true);
    m_recent->setWordWrap(true);
    m_recent->setSpacing(2);
    // Room for a few entries; the page stays a page, not a list.
    m_recent->setMaximumHeight(m_recent->fontMetrics().lineSpacing() * 3 * 5 + 24);
    auto *hint = new QLabel(
        tr("Or drop a .pt or .onnx model or a folder of calibration images onto this window."),
        this);
    hint->setForegroundRole(QPalette::PlaceholderText);
    hint->setWordWrap(true);

    column->addStretch(1);
    column->addWidget(title);
    column->addWidget(subtitle);
    column->addSpacing(title->fontMetrics().height());
    column->addWidget(demo);
    column->addWidget(open);
    column->addSpacing(title->fontMetrics().height() / 2);
    column->addWidget(recentTitle);
    column->addWidget(m_recent);
    column->addWidget(hint);
    column->addStretch(1);

    connect(demo, &QCommandLinkButton::clicked, this, &StartPage::demoRequested);
    connect(open, &QCommandLinkButton::clicked, this, &StartPage::openRequested);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const QString path = item->data(PathRole).toString();
        if (isProject(path))
            emit recentProjectRequested(path);
        else
            emit recentRequested(path, item->data(ImagesRole).toString());
    });
    refresh();
}

bool StartPage::isProject(const QString &path)
{
    return QFileInfo(path).suffix().compare(QStringLiteral("mpqproj"), Qt::CaseInsensitive) == 0;
}

void StartPage::refresh()
{
    m_recent->clear();
    const QList<RecentEntry> entries = RecentFiles::entries();
    for (const RecentEntry &e : entries) {
        const QFileInfo info(e.modelPath);
        QString text =
            (isProject(e.modelPath) ? tr("%1 (project)").arg(info.fileName()) : info.fileName()) +
            QLatin1Char('\n') + info.absolutePath();
        if (e.hasCost)
            text += QLatin1Char('\n') + tr("last: %1 memory, %2 MACs, %3 effective")
                                            .arg(mpq::ui::formatPercent(e.memoryOverhead),
                                                 mpq::ui::formatPercent(e.macOverhead),
                                                 mpq::ui::formatBits(e.effectiveBits));
        auto *item =
            new QListWidgetItem(QIcon::fromTheme(QStringLiteral("application-x-object"),
                                                 style()->standardIcon(QStyle::SP_FileIcon)),
                                text, m_recent);
        item->setData(PathRole, e.modelPath);
        item->setData(ImagesRole, e.imagesDir);
        item->setToolTip(e.modelPath);
        if (!info.exists())
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
    }
    if (entries.isEmpty()) {
        auto *item = new QListWidgetItem(tr("No recent models yet."), m_recent);
        item->setFlags(Qt::NoItemFlags);
    }
}

} // namespace mpq::studio
