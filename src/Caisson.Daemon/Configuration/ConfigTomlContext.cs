using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Caisson.Daemon.Configuration;

/// <summary>config.toml is read as a TomlTable through this generated context: no reflection, so NativeAOT can compile it.</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class ConfigTomlContext : TomlSerializerContext;
