System.Console.WriteLine(ShapingCluster.Algorithms.Probe.Run());
