using System.ComponentModel.DataAnnotations;

namespace Unitization.Kafka;

public sealed class KafkaTopicOptions
{
    [Required(AllowEmptyStrings = false)]
    public string Name { get; set; } = string.Empty;

    [Range(1, 1024)]
    public int Partitions { get; set; } = 1;
}
