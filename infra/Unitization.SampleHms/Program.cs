namespace Unitization.SampleHms; internal static class Program { public static int Main() => 0; }
