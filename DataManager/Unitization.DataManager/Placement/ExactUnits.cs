namespace Unitization.DataManager.Placement;

/// <summary>
/// What both exact models (<see cref="ExactPlacement"/>, <see cref="ExactMilp"/>) are built from: each unit's load,
/// the heaviest unit and the identical datacenters whose symmetry is broken on it, the hint (job → datacenter, renamed
/// to obey that break) per job and per unit, per dataset the units that read and write it with their summed bytes,
/// which datasets are modelled (touched by more than one unit, or pinned), and how many penalty terms that makes.
/// </summary>
internal sealed record ExactUnits(
    double[] UnitLoad, int Heaviest, int[] Twins, int[] Hint, int[] UnitHint,
    List<(int Unit, double Bytes)>[] Reads, List<(int Unit, double Bytes)>[] Writes, bool[] Modelled, long Penalties)
{
    public static ExactUnits Prepare(PlacementProblem problem, int[] unitOf, int units, int[] hint)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(unitOf);
        ArgumentNullException.ThrowIfNull(hint);
        var unitLoad = new double[units];
        for (var j = 0; j < problem.JobCount; j++)
        {
            unitLoad[unitOf[j]] += problem.JobLoad[j];
        }

        var (heaviest, twins) = ExactPlacement.Twins(problem, unitLoad);
        if (twins.Length > 1 && Array.IndexOf(twins, hint[Array.IndexOf(unitOf, heaviest)]) is var at and > 0)
        {
            // the same placement with two identical datacenters renamed, so the hint obeys the symmetry break
            hint = hint.Select(d => d == twins[at] ? twins[0] : d == twins[0] ? twins[at] : d).ToArray();
        }

        var unitHint = new int[units];
        for (var j = 0; j < problem.JobCount; j++)
        {
            unitHint[unitOf[j]] = hint[j];
        }

        var reads = ExactPlacement.Terms(problem.DatasetCount, problem.DatasetReadStart, problem.DatasetReadJob, problem.DatasetReadBytes, unitOf);
        var writes = ExactPlacement.Terms(problem.DatasetCount, problem.DatasetWriteStart, problem.DatasetWriteJob, problem.DatasetWriteBytes, unitOf);
        var modelled = new bool[problem.DatasetCount];
        long penalties = 0;
        for (var x = 0; x < problem.DatasetCount; x++)
        {
            var touching = new HashSet<int>(reads[x].Select(t => t.Unit).Concat(writes[x].Select(t => t.Unit)));
            modelled[x] = touching.Count > 1 || (touching.Count == 1 && problem.PinnedPrimary[x] >= 0);
            penalties += modelled[x] ? (long)problem.DatacenterCount * (reads[x].Count + writes[x].Count + 1) : 0;
        }

        return new ExactUnits(unitLoad, heaviest, twins, hint, unitHint, reads, writes, modelled, penalties);
    }
}
