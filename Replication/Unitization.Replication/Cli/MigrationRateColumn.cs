using Spectre.Console;
using Spectre.Console.Rendering;

namespace Unitization.Replication.Cli;

/// <summary>
/// The migration's own rate and time left, as the runner measures them (bytes actually copied by this run over a
/// sliding window), not Spectre's speed column, which would count the bytes a resumed run found done as speed.
/// </summary>
internal sealed class MigrationRateColumn : ProgressColumn
{
    public const string RateKey = "rate";
    public const string EtaKey = "eta";

    protected override bool NoWrap => true;

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        var rate = task.State.Get<double>(RateKey);
        var eta = task.State.Get<double>(EtaKey);
        var left = task.IsFinished || eta <= 0 ? "--:--:--" : TimeSpan.FromSeconds(Math.Ceiling(eta)).ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture);
        return new Markup($"[blue]{Markup.Escape(Bytes(rate))}/s[/] [grey]eta {left}[/]");
    }

    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes:0.0} {units[unit]}");
    }
}
