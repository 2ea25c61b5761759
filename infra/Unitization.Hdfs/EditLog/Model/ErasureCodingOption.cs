namespace Unitization.Hdfs.EditLog.Model;

/// <summary>One extra option of an erasure coding schema, in the order the op wrote it.</summary>
internal readonly record struct ErasureCodingOption(string Key, string Value);
