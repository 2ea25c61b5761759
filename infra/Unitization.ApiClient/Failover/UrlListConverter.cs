using System.ComponentModel;
using System.Globalization;

namespace Unitization.ApiClient.Failover;

/// <summary>Lets the configuration binder read a <see cref="UrlList"/> from one string (<see cref="UrlList.Parse"/>).</summary>
public sealed class UrlListConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? UrlList.Parse(text) : base.ConvertFrom(context, culture, value);
}
