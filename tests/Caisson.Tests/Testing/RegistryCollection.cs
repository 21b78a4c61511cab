using Caisson.Testing.Registry;

namespace Caisson.Tests.Testing;

/// <summary>
/// One plain-HTTP registry shared by every test class marked <c>[Collection("registry")]</c>. xunit finds
/// collection definitions only in the test assembly, so this lives here rather than beside the fixture. Tests
/// sharing it push under repository names of their own.
/// </summary>
[CollectionDefinition("registry")]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>;
