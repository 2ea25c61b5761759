namespace Unitization.Replication.Cli; internal static class ReplicationBenchmarks { public static IEnumerable<System.CommandLine.Command> Commands() => []; }
