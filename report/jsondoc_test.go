package report

import "os"

func ExampleJSON() {
	JSON(os.Stdout, map[string]any{"patient": "P7", "value": 0.12})
	// Output:
	// {
	//   "patient": "P7",
	//   "value": 0.12
	// }
}
