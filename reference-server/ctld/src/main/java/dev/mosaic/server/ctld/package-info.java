/** The control daemon's management service (Vitess's vtctld verbs) over the topology and the tablets. */
package dev.mosaic.server.ctld;
