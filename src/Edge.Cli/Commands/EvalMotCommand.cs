using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Edge.Evaluation;
using Spectre.Console;

namespace Edge.Cli.Commands;

/// <summary><c>edge eval-mot</c>: scores tracker results against MOTChallenge ground truth with TrackEval's rules
/// (HOTA, CLEAR, Identity), per sequence and combined.</summary>
public static class EvalMotCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static Command Create()
    {
        var gt = new Option<DirectoryInfo>("--gt")
        {
            Description = "Folder of sequences: <gt>/<SEQ>/gt/gt.txt (+ seqinfo.ini; without it the sequence ends at the last frame in gt or results).",
            Required = true,
        };
        var results = new Option<DirectoryInfo>("--results")
        {
            Description = "Folder of tracker results, one <SEQ>.txt per sequence (frame,id,x,y,w,h,conf,-1,-1,-1). A missing file is scored as empty, with a warning.",
            Required = true,
        };
        var kind = new Option<string>("--kind")
        {
            Description = "Preprocessing rules: auto (MOT17/MOT20 when gt has 9 columns with classes, MOT20 by sequence name; MOT15 otherwise), mot17, mot20 or mot15.",
            DefaultValueFactory = _ => "auto",
        };
        kind.AcceptOnlyFromAmong("auto", "mot17", "mot20", "mot15");
        var json = new Option<bool>("--json")
        {
            Description = "Write machine-readable JSON to stdout (ratios in 0..1) instead of tables.",
        };

        var command = new Command("eval-mot", "Score MOTChallenge tracker results (HOTA, DetA, AssA, MOTA, MOTP, IDF1, IDSW, ...) exactly as TrackEval does.");
        command.Options.Add(gt);
        command.Options.Add(results);
        command.Options.Add(kind);
        command.Options.Add(json);
        command.SetAction((parse, ct) =>
        {
            var gtDir = parse.GetValue(gt)!;
            var resultsDir = parse.GetValue(results)!;
            MotBenchmark? benchmark = parse.GetValue(kind) switch
            {
                "mot17" => MotBenchmark.Mot17,
                "mot20" => MotBenchmark.Mot20,
                "mot15" => MotBenchmark.Mot15,
                _ => null,
            };
            bool asJson = parse.GetValue(json);
            var report = asJson
                ? MotFolderEvaluator.Evaluate(gtDir.FullName, resultsDir.FullName, benchmark, null, ct)
                : EvaluateWithProgress(gtDir.FullName, resultsDir.FullName, benchmark, ct);

            foreach (string warning in report.Warnings)
            {
                Console.Error.WriteLine($"edge: warning: {warning}");
            }
            if (asJson)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(ToJson(report), JsonOptions));
            }
            else
            {
                AnsiConsole.Write(BuildTable(report));
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static MotEvaluationReport EvaluateWithProgress(string gtFolder, string resultsFolder, MotBenchmark? benchmark, CancellationToken ct)
    {
        var sequences = MotFolderEvaluator.FindSequences(gtFolder);
        MotEvaluationReport? report = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("eval-mot", maxValue: sequences.Count);
                var progress = new InlineProgress<string>(name =>
                {
                    if (task.Description != "eval-mot")
                    {
                        task.Increment(1);
                    }
                    task.Description = name;
                });
                report = MotFolderEvaluator.Evaluate(gtFolder, resultsFolder, benchmark, progress, ct);
                task.Value = task.MaxValue;
            });
        return report!;
    }

    /// <summary>Per-sequence rows then the combined row, in percent like the MOTChallenge tables.</summary>
    public static Table BuildTable(MotEvaluationReport report)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Sequence");
        table.AddColumn("Rules");
        foreach (string h in new[] { "HOTA", "DetA", "AssA", "LocA", "MOTA", "MOTP", "IDF1", "IDSW", "FP", "FN", "MT", "PT", "ML", "Frag" })
        {
            table.AddColumn(new TableColumn(h).RightAligned());
        }
        foreach (var s in report.Sequences)
        {
            table.AddRow(Cells(Markup.Escape(s.Name), s.Benchmark.ToString().ToUpperInvariant(), s.Metrics));
        }
        if (report.Sequences.Count > 1)
        {
            table.AddEmptyRow();
        }
        table.AddRow(Cells("[bold]COMBINED[/]", "", report.Combined));
        return table;
    }

    private static string[] Cells(string name, string rules, MotMetrics m)
    {
        static string Pct(double v) => (100 * v).ToString("F3", CultureInfo.InvariantCulture);
        static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
        var c = m.Clear;
        return
        [
            name, rules,
            Pct(m.Hota.Hota), Pct(m.Hota.DetA), Pct(m.Hota.AssA), Pct(m.Hota.LocA),
            Pct(c.Mota), Pct(c.Motp), Pct(m.Identity.Idf1),
            Int(c.IdSwitches), Int(c.FalsePositives), Int(c.FalseNegatives),
            Int(c.MostlyTracked), Int(c.PartiallyTracked), Int(c.MostlyLost), Int(c.Fragmentations),
        ];
    }

    /// <summary>The JSON document: sequences, combined and warnings; ratios in 0..1, per-α arrays for HOTA.</summary>
    public static object ToJson(MotEvaluationReport report) => new
    {
        sequences = report.Sequences.Select(s => new
        {
            name = s.Name,
            rules = s.Benchmark.ToString().ToUpperInvariant(),
            frames = s.FrameCount,
            metrics = ToJson(s.Metrics),
        }),
        combined = ToJson(report.Combined),
        warnings = report.Warnings,
    };

    private static object ToJson(MotMetrics m)
    {
        var c = m.Clear;
        var i = m.Identity;
        var h = m.Hota;
        return new
        {
            HOTA = h.Hota,
            DetA = h.DetA,
            AssA = h.AssA,
            DetRe = h.DetRe,
            DetPr = h.DetPr,
            AssRe = h.AssRe,
            AssPr = h.AssPr,
            LocA = h.LocA,
            MOTA = c.Mota,
            MOTP = c.Motp,
            MODA = c.Moda,
            Recall = c.Recall,
            Precision = c.Precision,
            IDF1 = i.Idf1,
            IDR = i.IdRecall,
            IDP = i.IdPrecision,
            TP = c.TruePositives,
            FP = c.FalsePositives,
            FN = c.FalseNegatives,
            IDSW = c.IdSwitches,
            MT = c.MostlyTracked,
            PT = c.PartiallyTracked,
            ML = c.MostlyLost,
            Frag = c.Fragmentations,
            IDTP = i.IdTruePositives,
            IDFP = i.IdFalsePositives,
            IDFN = i.IdFalseNegatives,
            alphas = HotaMetrics.Alphas.Select(a => Math.Round(a, 2)),
            HOTA_alpha = h.HotaPerAlpha,
            DetA_alpha = h.DetAPerAlpha,
            AssA_alpha = h.AssAPerAlpha,
            LocA_alpha = h.LocAPerAlpha,
        };
    }
}
