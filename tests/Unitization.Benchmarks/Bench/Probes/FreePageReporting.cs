namespace Unitization.Benchmarks.Bench.Probes;

/// <summary>
/// Whether this Linux guest hands the memory it frees back to its host (a virtio balloon bound to its driver with
/// <c>VIRTIO_BALLOON_F_REPORTING</c>, feature bit 5). Memory freed in 2 MiB blocks (<c>page_reporting_order</c>) is
/// reported a couple of seconds later and the host discards it; the first write to it afterwards costs a fault on the
/// host for every page. On the machine these figures come from, writing 11 GB to tmpfs took 34 s the first time and
/// 3.8 s the second. For <c>bench copy</c> that is a cost paid by whichever copy allocates fresh page cache after
/// another one freed it: <c>cp -r</c> keeps every page it writes, and so does a replica unless it drops its pages
/// behind it (<c>Replication:DropCacheBehindWrites</c>) and reuses them. Null where it cannot be told.
/// </summary>
internal static class FreePageReporting
{
    private const string VirtioDevices = "/sys/bus/virtio/devices";
    private const string BalloonDeviceId = "0x0005";
    private const int ReportingFeatureBit = 5;

    public static bool? IsOn()
    {
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }

            if (!Directory.Exists(VirtioDevices))
            {
                return false;
            }

            foreach (var device in Directory.EnumerateDirectories(VirtioDevices))
            {
                if (File.ReadAllText(Path.Join(device, "device")).Trim() != BalloonDeviceId || !Path.Exists(Path.Join(device, "driver")))
                {
                    continue;
                }

                // one character per feature bit, bit 0 first
                var features = File.ReadAllText(Path.Join(device, "features")).Trim();
                if (features.Length > ReportingFeatureBit && features[ReportingFeatureBit] == '1')
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
