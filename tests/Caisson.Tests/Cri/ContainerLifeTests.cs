using Caisson.Tests.Runtime.Network;
using Xunit.Abstractions;

namespace Caisson.Tests.Cri;

/// <summary>
/// Container life cycle details through a real caissond, one daemon for the class (<see cref="CriTestBed"/>):
/// removal, recovery after a crash, OOM kills, status contents and the crun handler, one part per file.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed partial class ContainerLifeTests(CriTestBed bed, ITestOutputHelper output) : IClassFixture<CriTestBed>;
