// Model profiles: JSON round trip, defaults, every kind of error with its message, labels files
// and atomic saving.
#include "mpq/error.h"
#include "mpq/profile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

namespace {

bool sameProfile(const mpq::ModelProfile &a, const mpq::ModelProfile &b)
{
    const mpq::InputSpec &i = a.input, &j = b.input;
    const mpq::OutputSpec &o = a.output, &p = b.output;
    return a.task == b.task && i.width == j.width && i.height == j.height &&
           i.channels == j.channels && i.color == j.color && i.scale == j.scale &&
           i.mean == j.mean && i.std == j.std && i.resize == j.resize && o.decoder == p.decoder &&
           o.boxFormat == p.boxFormat && o.normalized == p.normalized &&
           o.scoreThreshold == p.scoreThreshold && o.nmsIou == p.nmsIou && o.topK == p.topK &&
           a.labels == b.labels && a.labelsFile == b.labelsFile;
}

mpq::ModelProfile centerNet()
{
    mpq::ModelProfile p;
    p.task = mpq::Task::Detection;
    p.input.width = 512;
    p.input.height = 512;
    p.input.scale = 1.0;
    p.output.decoder = mpq::DecoderKind::CenterNet;
    p.output.scoreThreshold = 0.3;
    p.output.nmsIou = 0.4;
    p.labels = {"person", "bicycle", "traffic light", "\"quoted\" \\ back", "caf\xC3\xA9"};
    return p;
}

mpq::ModelProfile fashionMnist()
{
    mpq::ModelProfile p;
    p.input.width = 28;
    p.input.height = 28;
    p.input.channels = 1;
    p.input.color = mpq::ColorOrder::Gray;
    p.input.mean = {0.2860};
    p.input.std = {0.3530};
    p.output.decoder = mpq::DecoderKind::Probabilities;
    p.labels = {"T-shirt/top", "Trouser", "Pullover"};
    return p;
}

mpq::ModelProfile imagenetLike()
{
    mpq::ModelProfile p;
    p.input.color = mpq::ColorOrder::Bgr;
    p.input.mean = {0.485, 0.456, 0.406};
    p.input.std = {0.229, 0.224, 0.225};
    p.input.resize = mpq::ResizeMode::CenterCrop;
    p.output.topK = 5;
    return p;
}

mpq::ModelProfile yoloLike()
{
    mpq::ModelProfile p;
    p.task = mpq::Task::Detection;
    p.input.width = 640;
    p.input.height = 384;
    p.input.resize = mpq::ResizeMode::Letterbox;
    p.output.decoder = mpq::DecoderKind::Yolo;
    p.output.boxFormat = "cxcywh";
    p.output.normalized = true;
    p.output.scoreThreshold = 0.25;
    p.output.nmsIou = 0.7;
    p.output.topK = 300;
    return p;
}

void writeText(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(f.write(text), qint64(text.size()));
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const char kMinimal[] = R"({"task": "classification", "input": {"width": 28, "height": 28}})";

} // namespace

Q_DECLARE_METATYPE(mpq::ModelProfile)

class TestProfile : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<mpq::ModelProfile>("profile");
        QTest::newRow("defaults") << mpq::ModelProfile();
        QTest::newRow("centernet") << centerNet();
        QTest::newRow("fashion-mnist gray") << fashionMnist();
        QTest::newRow("bgr center-crop") << imagenetLike();
        QTest::newRow("yolo letterbox") << yoloLike();
    }
    void roundTrip()
    {
        QFETCH(mpq::ModelProfile, profile);
        const std::string text = mpq::profileToJson(profile);
        const mpq::ModelProfile back = mpq::parseProfile(text, "round-trip.json");
        QVERIFY2(sameProfile(profile, back), text.c_str());
        QCOMPARE(mpq::profileToJson(back), text);
    }

    void defaults()
    {
        const mpq::ModelProfile rgb = mpq::parseProfile(kMinimal, "minimal.json");
        QCOMPARE(rgb.task, mpq::Task::Classification);
        QCOMPARE(rgb.input.width, 28);
        QCOMPARE(rgb.input.height, 28);
        QCOMPARE(rgb.input.channels, 3);
        QCOMPARE(rgb.input.color, mpq::ColorOrder::Rgb);
        QCOMPARE(rgb.input.scale, 1.0 / 255.0);
        QCOMPARE(rgb.input.mean, std::vector<double>({0, 0, 0}));
        QCOMPARE(rgb.input.std, std::vector<double>({1, 1, 1}));
        QCOMPARE(rgb.input.resize, mpq::ResizeMode::Stretch);
        QCOMPARE(rgb.output.decoder, mpq::DecoderKind::Logits);
        QCOMPARE(rgb.output.boxFormat, std::string("xyxy"));
        QCOMPARE(rgb.output.normalized, false);
        QCOMPARE(rgb.output.scoreThreshold, 0.3);
        QCOMPARE(rgb.output.nmsIou, 0.45);
        QCOMPARE(rgb.output.topK, 100);
        QVERIFY(rgb.labels.empty());
        QVERIFY(rgb.labelsFile.empty());

        // gray: one channel, and mean/std default to one value each
        const mpq::ModelProfile gray = mpq::parseProfile(
            R"({"task":"classification","input":{"width":28,"height":28,"color":"gray"}})", "g");
        QCOMPARE(gray.input.channels, 1);
        QCOMPARE(gray.input.mean, std::vector<double>({0}));
        QCOMPARE(gray.input.std, std::vector<double>({1}));

        // integers are accepted where numbers are expected
        const mpq::ModelProfile ints = mpq::parseProfile(
            R"({"task":"classification","input":{"width":2,"height":3,"scale":1,"mean":[1,2,3]}})",
            "i");
        QCOMPARE(ints.input.scale, 1.0);
        QCOMPARE(ints.input.mean, std::vector<double>({1, 2, 3}));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        const auto in = [](const char *inputKeys) {
            return QString(R"({"task":"classification","input":{"width":8,"height":8%1}})")
                .arg(inputKeys);
        };
        const auto out = [](const char *task, const char *outputKeys) {
            return QString(R"({"task":"%1","input":{"width":8,"height":8},"output":{%2}})")
                .arg(task, outputKeys);
        };
        // unknown keys, named by their path
        QTest::newRow("unknown top key")
            << QString(R"({"task":"classification","input":{"width":8,"height":8},"lables":[]})")
            << "lables: unknown key";
        QTest::newRow("unknown input key")
            << in(R"(,"colour":"rgb")") << "input.colour: unknown key";
        QTest::newRow("unknown output key")
            << out("classification", R"("iou":0.5)") << "output.iou: unknown key";
        // wrong types
        QTest::newRow("width string")
            << R"({"task":"classification","input":{"width":"8","height":8}})"
            << "input.width: expected an integer, got string";
        QTest::newRow("width fraction")
            << R"({"task":"classification","input":{"width":8.5,"height":8}})"
            << "input.width: expected an integer, got number";
        QTest::newRow("task number") << R"({"task":1,"input":{"width":8,"height":8}})"
                                     << "task: expected a string, got integer";
        QTest::newRow("input array") << R"({"task":"classification","input":[8,8]})"
                                     << "input: expected an object, got array";
        QTest::newRow("output string")
            << R"({"task":"classification","input":{"width":8,"height":8},"output":"x"})"
            << "output: expected an object, got string";
        QTest::newRow("scale string")
            << in(R"(,"scale":"1/255")") << "input.scale: expected a number, got string";
        QTest::newRow("mean item")
            << in(R"(,"mean":[0,"a",0])") << "input.mean[1]: expected a number, got string";
        QTest::newRow("std not array")
            << in(R"(,"std":1)") << "input.std: expected an array of numbers, got integer";
        QTest::newRow("normalized string") << out("classification", R"("normalized":"yes")")
                                           << "output.normalized: expected a boolean, got string";
        QTest::newRow("labels string")
            << R"({"task":"classification","input":{"width":8,"height":8},"labels":"cat"})"
            << "labels: expected an array of strings, got string";
        QTest::newRow("labels item")
            << R"({"task":"classification","input":{"width":8,"height":8},"labels":["a",2]})"
            << "labels[1]: expected a string, got integer";
        // missing fields
        QTest::newRow("no task") << R"({"input":{"width":8,"height":8}})"
                                 << "task: missing required field";
        QTest::newRow("no input") << R"({"task":"classification"})"
                                  << "input: missing required field";
        QTest::newRow("no width") << R"({"task":"classification","input":{"height":8}})"
                                  << "input.width: missing required field";
        QTest::newRow("no height") << R"({"task":"classification","input":{"width":8}})"
                                   << "input.height: missing required field";
        QTest::newRow("detection without decoder")
            << R"({"task":"detection","input":{"width":8,"height":8}})"
            << "output.decoder: missing; a detection profile must name its decoder";
        // inconsistent values
        QTest::newRow("mean length")
            << in(R"(,"mean":[0,0])") << "input.mean: expected 3 values (one per channel), got 2";
        QTest::newRow("gray std length") << in(R"(,"color":"gray","std":[1,1,1])")
                                         << "input.std: expected 1 value (one per channel), got 3";
        QTest::newRow("std zero") << in(R"(,"std":[1,1,0])")
                                  << "input.std[2]: must be greater than 0, got 0";
        QTest::newRow("std negative")
            << in(R"(,"std":[-0.5,1,1])") << "input.std[0]: must be greater than 0, got -0.5";
        QTest::newRow("scale zero")
            << in(R"(,"scale":0)") << "input.scale: must be greater than 0, got 0";
        QTest::newRow("width 0") << R"({"task":"classification","input":{"width":0,"height":8}})"
                                 << "input.width: must be between 1 and 8192, got 0";
        QTest::newRow("height 8193")
            << R"({"task":"classification","input":{"width":8,"height":8193}})"
            << "input.height: must be between 1 and 8192, got 8193";
        QTest::newRow("width 2^64-1")
            << R"({"task":"classification","input":{"width":18446744073709551615,"height":8}})"
            << "input.width: must be between 1 and 8192, got 18446744073709551615";
        QTest::newRow("gray with 3 channels")
            << in(R"(,"color":"gray","channels":3)")
            << R"(input.channels: 3 does not match color "gray", which has 1 channel)";
        QTest::newRow("rgb with 1 channel")
            << in(R"(,"channels":1)")
            << R"(input.channels: 1 does not match color "rgb", which has 3 channels)";
        QTest::newRow("score threshold") << out("classification", R"("score_threshold":1.5)")
                                         << "output.score_threshold: must be between 0 and 1";
        QTest::newRow("top_k 0") << out("classification", R"("top_k":0)")
                                 << "output.top_k: must be between 1 and";
        QTest::newRow("decoder for other task")
            << out("classification", R"("decoder":"centernet")")
            << R"(output.decoder: "centernet" does not fit task "classification")";
        // unknown enum words list the allowed ones
        QTest::newRow("task word")
            << R"({"task":"segmentation","input":{"width":8,"height":8}})"
            << R"(task: unknown value "segmentation" (expected one of classification, detection))";
        QTest::newRow("color word")
            << in(R"(,"color":"rgba")")
            << R"(input.color: unknown value "rgba" (expected one of rgb, bgr, gray))";
        QTest::newRow("resize word")
            << in(R"(,"resize":"fit")")
            << R"(input.resize: unknown value "fit" (expected one of stretch, letterbox, center-crop))";
        QTest::newRow("decoder word")
            << out("detection", R"("decoder":"ssd")")
            << R"(output.decoder: unknown value "ssd" (expected one of logits, probabilities, centernet, boxes-scores, yolo, torchvision))";
        QTest::newRow("box format word")
            << out("detection", R"("decoder":"yolo","box_format":"ltrb")")
            << R"(output.box_format: unknown value "ltrb" (expected one of xyxy, yxyx, xywh, cxcywh))";
        // labels
        QTest::newRow("labels and labels_file")
            << R"({"task":"classification","input":{"width":8,"height":8},"labels":["a"],"labels_file":"l.txt"})"
            << "labels_file: give either labels or labels_file, not both";
        QTest::newRow("labels_file missing")
            << R"({"task":"classification","input":{"width":8,"height":8},"labels_file":"no-such-labels.txt"})"
            << R"(labels_file: cannot read "./no-such-labels.txt": No such file or directory)";
        QTest::newRow("labels_file empty")
            << R"({"task":"classification","input":{"width":8,"height":8},"labels_file":""})"
            << "labels_file: must not be empty";
        // not JSON, or not an object
        QTest::newRow("syntax error")
            << R"({"task": "classification",, })"
            << "invalid JSON at byte 27: parse error at line 1, column 27: syntax error";
        QTest::newRow("empty text") << ""
                                    << "invalid JSON at byte 1:";
        QTest::newRow("truncated") << R"({"task": "classification")"
                                   << "invalid JSON at byte 26:";
        QTest::newRow("number overflow") << in(R"(,"scale":1e400)") << "invalid JSON";
        QTest::newRow("top-level array") << "[1, 2]"
                                         << "expected a JSON object, got array";
    }
    void errors()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        const std::string source = "models/net.profile.json";
        try {
            mpq::parseProfile(json.toStdString(), source);
            QFAIL("no error");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::BadProfile);
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.startsWith(QString::fromStdString(source) + ": "), e.what());
            QVERIFY2(what.contains(message), e.what());
        }
    }

    void labelsFileRelativeToProfile()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        QVERIFY(QDir(tmp.path()).mkpath("models/sub"));
        // CRLF, blank lines, surrounding blanks and a BOM are not part of the labels
        writeText(tmp.filePath("models/sub/labels.txt"), "\xEF\xBB\xBF"
                                                         "cat\r\n\r\n  traffic light \n\t\nbird");
        const QString profilePath = tmp.filePath("models/net.profile.json");
        writeText(profilePath, R"({"task":"classification","input":{"width":8,"height":8},)"
                               R"("labels_file":"sub/labels.txt"})");
        const std::vector<std::string> expected = {"cat", "traffic light", "bird"};

        // loadProfile: relative to the profile's folder, whatever the working directory is
        const mpq::ModelProfile p = mpq::loadProfile(profilePath.toStdString());
        QCOMPARE(p.labels, expected);
        QCOMPARE(p.labelsFile, std::string("sub/labels.txt"));

        // parseProfile: relative to baseDir
        const std::string text = readAll(profilePath).toStdString();
        const std::string base = tmp.filePath("models").toStdString();
        QCOMPARE(mpq::parseProfile(text, "p.json", base).labels, expected);
        QVERIFY_THROWS_EXCEPTION(mpq::Error,
                                 mpq::parseProfile(text, "p.json", tmp.path().toStdString()));

        // an absolute path is used as is (no raw string around the odd quote here: moc's
        // lexer pairs quotes naively and would miss the test class after it)
        const std::string absolute =
            std::string(R"({"task":"classification","input":{"width":8,"height":8},)") +
            "\"labels_file\":\"" + tmp.filePath("models/sub/labels.txt").toStdString() + "\"}";
        QCOMPARE(mpq::parseProfile(absolute, "p.json", "/nonexistent").labels, expected);

        // written back as labels_file, not inline, and read back the same
        const std::string written = mpq::profileToJson(p);
        QVERIFY2(written.find("\"labels_file\": \"sub/labels.txt\"") != std::string::npos,
                 written.c_str());
        QVERIFY(written.find("\"labels\"") == std::string::npos);
        QVERIFY(sameProfile(mpq::parseProfile(written, "w.json", base), p));

        // a folder is not a labels file
        QVERIFY(QDir(tmp.path()).mkpath("models/folder.txt"));
        try {
            mpq::parseProfile(R"({"task":"classification","input":{"width":8,"height":8},)"
                              R"("labels_file":"folder.txt"})",
                              "p.json", base);
            QFAIL("no error");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::BadProfile);
            QVERIFY2(QString(e.what()).contains("labels_file: cannot read") &&
                         QString(e.what()).contains("folder.txt"),
                     e.what());
        }
    }

    void loadErrorsNameTheFile()
    {
        QTemporaryDir tmp;
        const std::string missing = tmp.filePath("missing.profile.json").toStdString();
        try {
            mpq::loadProfile(missing);
            QFAIL("no error");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::BadProfile);
            QCOMPARE(std::string(e.what()), missing + ": cannot read: No such file or directory");
        }
        const QString broken = tmp.filePath("broken.profile.json");
        writeText(broken, R"({"task":"classification","input":{"width":8,"height":8,"colour":1}})");
        try {
            mpq::loadProfile(broken.toStdString());
            QFAIL("no error");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::BadProfile);
            QVERIFY2(QString(e.what()).startsWith(broken + ": input.colour: unknown key"),
                     e.what());
        }
    }

    void defaultProfilePath_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("profile");
        QTest::newRow("relative") << "dir/model.pt"
                                  << "dir/model.profile.json";
        QTest::newRow("bare") << "model.pt"
                              << "model.profile.json";
        QTest::newRow("dotted folder") << "/a/b.c/net.ts"
                                       << "/a/b.c/net.profile.json";
        QTest::newRow("no extension") << "dir/model"
                                      << "dir/model.profile.json";
        QTest::newRow("two dots") << "dir/resnet.v2.pt"
                                  << "dir/resnet.v2.profile.json";
    }
    void defaultProfilePath()
    {
        QFETCH(QString, model);
        QFETCH(QString, profile);
        QCOMPARE(QString::fromStdString(mpq::defaultProfilePath(model.toStdString())), profile);
    }

    void saveAndLoad()
    {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("net.profile.json").toStdString();
        mpq::saveProfile(centerNet(), path);
        QVERIFY(sameProfile(mpq::loadProfile(path), centerNet()));
        QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{"net.profile.json"});
    }

    void saveReplacesWhole()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath("net.profile.json");
        mpq::ModelProfile big = fashionMnist();
        for (int i = 0; i < 2000; ++i)
            big.labels.push_back("a rather long label number " + std::to_string(i));
        mpq::saveProfile(big, path.toStdString());
        const mpq::ModelProfile small = imagenetLike();
        mpq::saveProfile(small, path.toStdString());
        QCOMPARE(readAll(path).toStdString(), mpq::profileToJson(small));
        QVERIFY(sameProfile(mpq::loadProfile(path.toStdString()), small));
        QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{"net.profile.json"});
    }

    void saveFailures_data()
    {
        QTest::addColumn<QString>("destination");
        QTest::addColumn<QString>("reason");
        // the temp file cannot even be created
        QTest::newRow("parent is a file") << "plain/net.profile.json"
                                          << "Not a directory";
        // the temp file is written, then the rename fails and the temp file must go
        QTest::newRow("destination is a folder") << "folder"
                                                 << "cannot replace the file";
        QTest::newRow("no such folder") << "missing/net.profile.json"
                                        << "No such file";
    }
    void saveFailures()
    {
        QFETCH(QString, destination);
        QFETCH(QString, reason);
        QTemporaryDir tmp;
        writeText(tmp.filePath("plain"), "not a folder");
        QVERIFY(QDir(tmp.path()).mkdir("folder"));
        const QStringList before =
            QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        const std::string path = tmp.filePath(destination).toStdString();
        try {
            mpq::saveProfile(centerNet(), path);
            QFAIL("no error");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::Io);
            QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(path) + ": "), e.what());
            QVERIFY2(QString(e.what()).contains(reason), e.what());
        }
        // nothing left behind, nothing replaced
        QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 before);
        QVERIFY(QDir(tmp.filePath("folder")).isEmpty());
        QCOMPARE(readAll(tmp.filePath("plain")), QByteArray("not a folder"));
    }
};

QTEST_APPLESS_MAIN(TestProfile)
#include "tst_profile.moc"
